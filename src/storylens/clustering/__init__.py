"""storylens clustering stage."""
