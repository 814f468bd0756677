"""storylens extraction stage."""
