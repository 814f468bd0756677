"""storylens cleaning stage."""
