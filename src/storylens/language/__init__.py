"""storylens language stage: guess the language of a text or of each of its lines."""

from storylens.language.detect import UNDETERMINED, detect, detect_lines

__all__ = ["UNDETERMINED", "detect", "detect_lines"]
