"""Input readers: transcripts in many formats and encodings → canonical `Conversation`s.

Each format is one small module with a reader class registered in `READERS`; `read_path`
detects the format from content and extension, decodes legacy encodings, and streams JSON Lines.
"""

from analyzer.readers.api import read_bytes, read_path
from analyzer.readers.base import Piece, Reader, ReadError, ReadOptions, StreamingReader, build_turns
from analyzer.readers.encoding import decode
from analyzer.readers.files import iter_input_files
from analyzer.readers.registry import ALIASES, READERS, detect_format

__all__ = [
    "ALIASES",
    "READERS",
    "Piece",
    "ReadError",
    "ReadOptions",
    "Reader",
    "StreamingReader",
    "build_turns",
    "decode",
    "detect_format",
    "iter_input_files",
    "read_bytes",
    "read_path",
]
