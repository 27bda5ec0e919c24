"""Build app/extraction/data/people_given_names_census.txt from the US Census Bureau 1990 name files.

Usage: python scripts/build_given_names.py DIST_DIR WORDLIST [MIN_PERCENT] > OUT
OUT is app/extraction/data/people_given_names_census.txt. DIST_DIR holds dist.male.first,
dist.female.first and dist.all.last (public domain; e.g. unpacked from the `names` sdist on PyPI);
WORDLIST is an English word list, one word a line (Debian's wamerican,
/usr/share/dict/american-english). A name is kept unless its lower-case form is a lower-case entry of
the word list (a common English word: "will", "grant", "hope") or it is a word of a surface of the
country gazetteers here (a place or demonym: "Georgia", "Jordan", "Santa" of "Santa Barbara"),
or it is shorter than three letters (it collides with particles: "al-", "de", "la"), or it is rarer
than MIN_PERCENT (default 0.005) of
the people of its sex in the Census sample (the rare tail holds surnames and foreign words),
or it is commoner as a surname than as a given name (its share of dist.all.last above its
share of either sex's first names: "Stanford", "Harris"), and unless it is already in the
hand-compiled people_given_names.txt.
"""

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "app" / "extraction" / "data"


def _gazetteer_words() -> set[str]:
    out: set[str] = set()
    for path in DATA.glob("countries_*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                out.update(line.split("\t", 1)[0].lower().split())
    return out


def _curated() -> set[str]:
    out: set[str] = set()
    for line in (DATA / "people_given_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            out.update(w.lower() for w in line.split())
    return out


def main(dist_dir: str, wordlist: str, min_percent: float = 0.005) -> None:
    names: set[str] = set()
    read = 0
    given: dict[str, float] = {}
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (Path(dist_dir) / fname).read_text(encoding="ascii").splitlines():
            if line.strip():
                read += 1
                name, percent = line.split()[:2]
                given[name.lower()] = max(given.get(name.lower(), 0.0), float(percent))
                if float(percent) >= min_percent and len(name) >= 3:
                    names.add(name.lower())
    surname: dict[str, float] = {}
    for line in (Path(dist_dir) / "dist.all.last").read_text(encoding="ascii").splitlines():
        if line.strip():
            surname[line.split()[0].lower()] = float(line.split()[1])
    names = {n for n in names if surname.get(n, 0.0) <= given[n]}
    words = {w for w in Path(wordlist).read_text(encoding="utf-8").splitlines() if w.islower()}
    drop = words | _gazetteer_words() | _curated()
    kept = sorted(n for n in names if n not in drop)
    print("# Given names from the US Census Bureau's 1990 name files dist.male.first and")
    print("# dist.female.first (public domain), as shipped in the `names` 0.3.0 sdist on PyPI; names only.")
    print("# Filtered by scripts/build_given_names.py: dropped a name whose lower-case form is a lower-case")
    print("# word of Debian's wamerican word list (an English word: 'will', 'grant', 'hope'),")
    print("# a word of a countries_*.tsv gazetteer surface (a place: 'georgia', 'santa'), or one already in")
    print("# people_given_names.txt.")
    print("# Dropped a name commoner as a surname (its per cent in dist.all.last) than as a given name.")
    print(f"# Kept only names at least {min_percent} per cent of the people of their sex in the sample and")
    print("# of three letters or more (two-letter names collide with particles: 'al-', 'de').")
    print(f"# {read} entries read, {len(kept)} names kept. One name a line, lower case.")
    for n in kept:
        print(n)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:4]))
