"""Urdu normalisation: the copy of an Urdu item the rules read, with an offset map back to the original.

Writers of the same word differ in keyboard (Arabic letters for Urdu ones), in diacritics, in joiners, in
digits and in how they join a light verb to its auxiliary ("کردیا" / "کر دیا"). Every difference that does
not change the word is folded here, so a rule (which is normalised the same way on load) is written once:

- letters: ي ى ې → ی; ك → ک; ه ە ھ ۀ ۂ → ہ (an Arabic keyboard has one heh for both Urdu ones, so "بهی"
  and "بھی" must meet); ة → ۃ; ۓ → ے; أ إ → ا; ا + madda → آ; presentation forms (text copied from
  PDFs) → their letters;
- the hamza spellings of -ئے: "کئے" = "کیے", "دیئے"/"دئیے" = "دیے", "لئے" = "لیے", "چاہئے" = "چاہیے"
  (all -ئے become -یے, so "گئے" is read "گیے" on both sides);
- diacritics (zer, zabar, pesh, tashdeed, jazm, superscript alef, small high signs, hamza above),
  tatweel (kashida), zero-width joiner, BOM and direction marks removed; a zero-width non-joiner becomes a
  space (writers put it where a compound's parts are otherwise spaced), and so do no-break and thin spaces;
- Urdu and Arabic-Indic digits → ASCII;
- a light verb written joined to its auxiliary is split ("کردیا" → "کر دیا", "ہوگئی" → "ہو گئی",
  "کریگا" → "کرے گا", "ہونگے" → "ہوں گے"), so tense is read the same way whatever the spacing.

Each output character maps to the original character it came from (offsets), so spans and quotes are given
back in the item's own spelling.
"""
from __future__ import annotations

import re
import unicodedata

_FOLD = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u06d0": "\u06cc",  # ي ى ې -> ی
    "\u0643": "\u06a9",  # ك -> ک
    "\u0647": "\u06c1", "\u06d5": "\u06c1", "\u06be": "\u06c1",  # ه ە ھ -> ہ
    "\u06c0": "\u06c1", "\u06c2": "\u06c1",  # ۀ ۂ (heh with hamza) -> ہ
    "\u0629": "\u06c3",  # ة -> ۃ
    "\u06d3": "\u06d2",  # ۓ -> ے
    "\u0623": "\u0627", "\u0625": "\u0627",  # أ إ -> ا
    "\u200c": " ",  # ZWNJ -> space
    # no-break, narrow and thin spaces (CMS copy) -> space: the rules' phrases are spaced with U+0020
    "\u00a0": " ", "\u202f": " ", **{chr(c): " " for c in range(0x2000, 0x200B)},
}
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # ۰-۹
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # ٠-٩
_DROP = frozenset(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x0610, 0x061B),
                                   *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE),
                                   0x0640, 0x200D, 0x200B, 0xFEFF, 0x200E, 0x200F])
_DROP_RE = re.compile("[" + "".join(sorted(_DROP)) + "]")
_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_PRESENTATION = re.compile(r"[\ufb50-\ufdff\ufe70-\ufefc]")

# sequences, read on the letter-folded text (before diacritics are dropped, so "ا" + madda is seen)
_SEQUENCES = (
    ("\u0627\u0653", "\u0622"),  # ا + madda above -> آ
    ("\u06cc\u0626\u06d2", "\u06cc\u06d2"),  # یئے -> یے
    ("\u0626\u06cc\u06d2", "\u06cc\u06d2"),  # ئیے -> یے
    ("\u0626\u06d2", "\u06cc\u06d2"),  # ئے -> یے
)

# A light verb joined to its auxiliary: (joined, spaced), read on the folded text. Whole words only.
_LIGHT = "کروا|کرا|کر|ہو|دے|لے|جا"
_AUX = "دیا|دی|دیے|دیں|لیا|لی|لیے|گیا|گئی|گیے|گئیں|چکا|چکی|چکے|گا|گی|گے"
_JOINED_RE = re.compile(rf"(?<![\w])({_LIGHT})({_AUX})(?![\w])")
# future forms written as one word: "کریگا" = "کرے گا", "جائیگی" = "جایے گی", "ہونگے" = "ہوں گے"
_JOINED_FUTURE = (
    (re.compile(r"(?<![\w])(کری|جائی|دی|ہوی)(گا|گی|گے)(?![\w])"),
     {"کری": "کرے", "جائی": "جایے", "دی": "دے", "ہوی": "ہوے"}),
    (re.compile(r"(?<![\w])(کرین|جائین|دین|ہون|کریں|جائیں|ہوں|دیں)(گے|گی)(?![\w])"),
     {"کرین": "کریں", "جائین": "جائیں", "دین": "دیں", "ہون": "ہوں", "کریں": "کریں", "جائیں": "جائیں",
      "ہوں": "ہوں", "دیں": "دیں"}),
)


# "دیدی" is "دے دی" written as one word (Jang's "منظوری دیدی")
_GAVE_RE = re.compile(r"(?<![\w])دید(ی|یا|یے)(?![\w])")
# A compound's two words written joined ("نافذالعمل" = "نافذ العمل", "زیرغور" = "زیر غور",
# "زائدالمیعاد" = "زائد المیعاد"): the first word is one of a few Persian/Arabic heads and the second is
# listed, so "زیرو" (zero) or "اطلاق" are never split.
_COMPOUND_RE = re.compile(r"(?<![\w])(نافذ|زائد|زیر)(العمل|المیعاد|التوا|التواء|غور|سماعت|بحث|تفتیش|حراست|تعمیر)(?![\w])")


def has_arabic_script(text: str) -> bool:
    return bool(_ARABIC_SCRIPT_RE.search(text or ""))


_TABLE = str.maketrans(_FOLD)


def _letters(text: str) -> tuple[list[str], list[int]]:
    """Letter folds and presentation forms; diacritics not yet dropped."""
    if not _PRESENTATION.search(text):  # the usual case: one character for one (str.translate, in C)
        return list(text.translate(_TABLE)), list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if _PRESENTATION.match(ch):
            ch = unicodedata.normalize("NFKC", ch)
        for r in ch:
            chars.append(_FOLD.get(r, r))
            offsets.append(i)
    return chars, offsets


def _replace(chars: list[str], offsets: list[int], pattern: re.Pattern, repl) -> tuple[list[str], list[int]]:
    """Apply a substitution to a character list, keeping each output character's original offset (an
    inserted character takes the offset of the one after it; a shortened sequence keeps its first ones)."""
    text = "".join(chars)
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out_c.extend(chars[pos:m.start()])
        out_o.extend(offsets[pos:m.start()])
        new = repl(m)
        old_off = offsets[m.start():m.end()]
        for k, ch in enumerate(new):
            out_c.append(ch)
            out_o.append(old_off[min(k, len(old_off) - 1)])
        pos = m.end()
    out_c.extend(chars[pos:])
    out_o.extend(offsets[pos:])
    return out_c, out_o


_SEQ_RE = re.compile("|".join(re.escape(a) for a, _ in _SEQUENCES))
_SEQ_MAP = dict(_SEQUENCES)


def _spaced(m: re.Match) -> str:
    return f"{m.group(1)} {m.group(2)}"


def normalise(text: str) -> tuple[str, list[int]]:
    """(normalised text, offsets): offsets[i] is where the normalised character i starts in the original,
    and offsets[len] is len(text). Text without Arabic-script characters is returned unchanged."""
    if not has_arabic_script(text):
        return text, list(range(len(text) + 1))
    chars, offsets = _letters(text)
    chars, offsets = _replace(chars, offsets, _SEQ_RE, lambda m: _SEQ_MAP[m.group()])
    if _DROP_RE.search("".join(chars)):  # most copy has no diacritics: skip the filter then
        kept = [(c, o) for c, o in zip(chars, offsets) if c not in _DROP]
        chars, offsets = [c for c, _ in kept], [o for _, o in kept]
    chars, offsets = _replace(chars, offsets, _JOINED_RE, _spaced)
    chars, offsets = _replace(chars, offsets, _GAVE_RE, lambda m: f"دے د{m.group(1)}")
    chars, offsets = _replace(chars, offsets, _COMPOUND_RE, _spaced)
    for pattern, stems in _JOINED_FUTURE:
        chars, offsets = _replace(chars, offsets, pattern, lambda m, s=stems: f"{s[m.group(1)]} {m.group(2)}")
    offsets.append(len(text))
    return "".join(chars), offsets
