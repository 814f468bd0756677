"""storylens views stage."""
