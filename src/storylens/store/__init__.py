"""storylens store stage."""
