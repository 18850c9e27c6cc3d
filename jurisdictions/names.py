"""Place names as the place finder compares them: folded to lower case, without accents or
punctuation, so that "DuPage", "Dupage" and "du page" are one, and "Cóok" is "cook".

`fold()` is what `Jurisdiction.search_name` holds (written on every save and bulk write)
and what a visitor's words are folded with before they are compared to it.
"""

import re
import unicodedata

# Marks that join the parts of one word: "O'Fallon", "St. Charles".
JOINERS = re.compile(r"[.'’`´]")
NOT_WORD = re.compile(r"[\W_]+")
# Abbreviations written out, so that "St. Clair" and "Saint Clair" meet, and typing the
# first letters of either finds it.
EXPANSIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
# The words people put before a place's name ("City of Chicago"), and the kind words after
# it that a name may or may not carry ("Cook County", "Cook").
LEADING_FORMS = ("city of ", "town of ", "village of ", "borough of ", "township of ")
KIND_WORDS = ("county", "parish", "borough", "city", "town", "village", "township")
# The length of the column that holds a folded name.
MAX_LENGTH = 200


def fold(text):
    """`text` in lower case, accents dropped, punctuation read as spaces, abbreviations
    written out, single spaces: "St. Clair County" → "saint clair county"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.casefold().replace("&", " and ")
    words = NOT_WORD.sub(" ", JOINERS.sub("", bare)).split()
    return " ".join(EXPANSIONS.get(word, word) for word in words)[:MAX_LENGTH]


def name_forms(folded):
    """The folded names that a folded query names exactly: itself, without a leading "city
    of", and with a kind word added ("cook" names "cook county"); "county of cook" too."""
    forms = {folded}
    for leading in LEADING_FORMS:
        if folded.startswith(leading) and len(folded) > len(leading):
            forms.add(folded[len(leading) :])
    if folded.startswith("county of ") and len(folded) > len("county of "):
        forms.add(f"{folded[len('county of ') :]} county")
    for base in list(forms):
        if not base.endswith(tuple(f" {word}" for word in KIND_WORDS)):
            forms.update(f"{base} {word}" for word in ("county", "parish"))
    return sorted(forms)
