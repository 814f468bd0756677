"""storylens sources stage."""
