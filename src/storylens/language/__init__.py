"""storylens language stage."""
