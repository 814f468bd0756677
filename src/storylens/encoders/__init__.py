"""storylens encoders stage."""
