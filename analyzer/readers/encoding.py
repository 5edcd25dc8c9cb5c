"""Bytes → text: BOMs, UTF-16, legacy Cyrillic and Chinese code pages, binary and empty files.

Legacy encodings are detected (charset-normalizer, limited to the code pages our languages
use) and then sanity-checked, because a wrong guess silently corrupts every downstream offset.
Text is otherwise left alone: only newlines are normalised, never Unicode forms.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

from charset_normalizer import from_bytes

from analyzer.readers.base import ReadError

LEGACY_ENCODINGS: tuple[str, ...] = ("cp1251", "koi8_r", "cp866", "gb18030", "big5")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF8", "GIF image"),
    (0, b"%PDF", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive or Office document"),
    (0, b"\x1f\x8b", "gzip archive"),
    (0, b"7z\xbc\xaf", "7-Zip archive"),
    (0, b"Rar!", "RAR archive"),
    (0, b"\x7fELF", "program"),
    (0, b"MZ", "program"),
    (0, b"RIFF", "audio or video"),
    (0, b"OggS", "audio"),
    (0, b"fLaC", "audio"),
    (0, b"ID3", "audio"),
    (4, b"ftyp", "audio or video"),
    (0, b"\xd0\xcf\x11\xe0", "Office document"),
    (0, b"SQLite format 3", "database"),
)

_SAMPLE = 64 * 1024


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode a whole file to text with normalised newlines, or raise a ReadError saying why not."""
    if encoding:
        text = _decode_forced(data, source, encoding)
    else:
        check_not_binary(data, source)
        text = _decode_detected(data, source)
    text = normalize_newlines(text.removeprefix("\ufeff"))
    if not text.strip():
        raise ReadError(source, "empty file")
    return text


def normalize_newlines(text: str) -> str:
    """CRLF and CR → LF; nothing else changes, so offsets stay meaningful."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_not_binary(data: bytes, source: str) -> None:
    """Reject images, archives, audio and other binary data before trying to decode them."""
    if not data.strip():
        raise ReadError(source, "empty file")
    for offset, magic, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            raise ReadError(source, f"binary file ({kind}), not a transcript")
    if b"\x00" in data[:_SAMPLE] and not _bom_encoding(data) and not _utf16_by_nuls(data):
        raise ReadError(source, "binary file, not a transcript")


def detect_encoding(data: bytes, *, partial: bool = False) -> str | None:
    """The codec name for `data` (None when no plausible one); `partial` allows a cut-off tail."""
    found = _bom_encoding(data) or _utf16_by_nuls(data)
    if found:
        return found
    if _is_utf8(data, partial):
        return "utf-8"
    return _legacy_encoding(data[:_SAMPLE] if partial else data, partial)


def _decode_forced(data: bytes, source: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise ReadError(source, f"unknown encoding name {encoding!r}") from None
    except UnicodeDecodeError as error:
        raise ReadError(source, f"not valid {encoding} text at byte {error.start}") from None


def _decode_detected(data: bytes, source: str) -> str:
    encoding = detect_encoding(data)
    if encoding is None:
        raise ReadError(source, "unknown text encoding (save it as UTF-8, or name the encoding)")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ReadError(source, f"unknown text encoding (not valid {encoding})") from None


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_by_nuls(data: bytes) -> str | None:
    """BOM-less UTF-16: NULs fall on one parity only (the high byte of ASCII characters)."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls > others and _decodes_plausibly(data, encoding):
            return encoding
    return None


def _decodes_plausibly(data: bytes, encoding: str) -> bool:
    return _decodes(data, encoding) and plausible(data[:_SAMPLE].decode(encoding, errors="ignore"))


def _is_utf8(data: bytes, partial: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=not partial)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(data: bytes, partial: bool) -> str | None:
    """charset-normalizer's ranking first, then the other candidates; the first plausible one wins.

    Detection and the plausibility check look at a sample (speed); the full text must still decode.
    """
    sample = data[:_SAMPLE]
    matches = from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS))
    ranked = [_codec_name(match.encoding) for match in matches]
    for encoding in dict.fromkeys([*ranked, *LEGACY_ENCODINGS]):
        if (partial or _decodes(data, encoding)) and plausible(sample.decode(encoding, errors="ignore")):
            return encoding
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _codec_name(name: str) -> str:
    return codecs.lookup(name).name.replace("-", "_")


_LETTERS = re.compile(r"[^\W\d_]+")


def plausible(text: str) -> bool:
    """Does decoded text look like real writing in one of our scripts (not mojibake)?"""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return True
    odd = sum(1 for c in chars if _suspicious(c))
    if odd > max(1, len(chars) // 50):
        return False
    words = _LETTERS.findall(text)
    mixed = sum(1 for w in words if _mixed_script(w) or _case_chaos(w))
    return mixed <= max(0, len(words) // 20)


def _suspicious(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cn", "Cs", "So", "Sk") or "\u2500" <= char <= "\u25ff":
        return True
    return category.startswith("L") and _script(char) == "other"


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x400 <= code <= 0x4FF:
        return "cyrillic"
    if 0x3000 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF:
        return "cjk"
    if 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F or 0xF900 <= code <= 0xFAFF:
        return "cjk"
    return "other"


def _mixed_script(word: str) -> bool:
    return len({_script(c) for c in word}) > 1


def _case_chaos(word: str) -> bool:
    """`кЮМ` (KOI8-R read as cp1251): a capital after a small letter inside a non-Latin word."""
    if _script(word[0]) == "latin":
        return False
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))
