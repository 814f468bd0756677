"""storylens dates stage."""
