"""What a visitor typed into the search box, read the way web search engines read it.

Words are all required; "quoted words" must appear together; a leading minus excludes a
word or phrase; OR between two terms accepts either. Everything else (brackets, colons,
ampersands, stray quotes, control characters) is treated as a space, so no input can reach
a database's query parser as syntax. Each backend turns a `ParsedQuery` into its own
engine's syntax from these parts, never from the raw text.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 500

# Word characters in any script, with inner apostrophes and hyphens (O'Hare, 287-g).
WORD = re.compile(r"\w+(?:['’\-]\w+)*")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of words that must appear in this order."""

    words: tuple[str, ...]

    @property
    def is_phrase(self):
        return len(self.words) > 1

    def __str__(self):
        """Always quoted: a quoted single word is that word, and "or" stays a word."""
        return '"{}"'.format(" ".join(self.words))


@dataclass
class ParsedQuery:
    # Every group must match; a group matches when any of its terms does (OR).
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def words(self):
        """Every required or optional word, in order, for fallbacks and highlighting."""
        return [word for group in self.groups for term in group for word in term.words]

    def __str__(self):
        """The query in canonical web-search form, which PostgreSQL's websearch syntax reads."""
        parts = [" OR ".join(str(term) for term in group) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)


def clean_text(text):
    """Drop control and format characters (NUL included) and normalise the Unicode form."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") else char
        for char in text
    )


def words_of(text):
    return tuple(match.group(0).lower() for match in WORD.finditer(text))


def parse(text):
    """Read a search box's text into required groups of alternatives and excluded terms."""
    query = ParsedQuery()
    pending_or = False
    for match in TOKEN.finditer(clean_text(text)):
        negated, quoted, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(query.groups)
                continue
            negated = bare.startswith("-") and len(bare) > 1
            words = words_of(bare[1:] if negated else bare)
            # A bare word with a hyphen inside (e.g. "287-g") is a phrase of its parts.
        else:
            words = words_of(quoted)
        if not words:
            continue
        term = Term(words)
        if negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
    return query
