"""A definite description of an office standing for the story's principal: "Mexican revenge
against the Republican presidential candidate", "Y acknowledged the former secretary of State
and Z had split" in a story about one candidate who is named without that office."""

from __future__ import annotations

from spacy.tokens import Span, Token

from app.extraction.people import PEOPLE_KEY
from app.extraction.positions.context import Context, Found
from app.extraction.positions.described import main_subject
from app.extraction.positions.phrase import title_phrase
from app.extraction.positions.words import AMBIGUOUS, norm_title
from app.extraction.records import Position

# How many times the principal is named at least, and how many times as often as anyone else
# the description could stand for.
PRINCIPAL_MENTIONS = 3
PRINCIPAL_LEAD = 2
# How many sentences before the description the principal must be named in (or in its own).
PRINCIPAL_REACH = 3
# Where a description says something of another noun, not who it stands for: "the host of the
# event" (a predicate), "Ann Holt, the mayor" (an apposition), "the Senate race", "the Sheriff's".
NOT_REFERRING = frozenset({"attr", "oprd", "appos", "poss", "compound", "npadvmod", "conj"})
# "who the eventual nominee will be", "the next president", "the losing nominee", "the local
# bishop": an office whose holder is someone else or not known yet.
OTHER_HOLDER = frozenset(
    {"eventual", "next", "future", "potential", "possible", "likely", "new", "losing", "local", "winning"}
)


def principal_descriptions(
    ctx: Context, results: dict[tuple[str, str], Position], described: set[str]
) -> list[tuple[Span, str, Found]]:
    """Definite descriptions of an office no one in the article holds, read as the principal's.

    The description is singular and outside quotations, is no clause's subject in its own
    right (`described_subjects` reads "The chancellor said ..."), says nothing of another noun
    (`NOT_REFERRING`) and names no country or person of its own; the article did not introduce
    an unnamed holder by its noun before ("a Mexican official ... the official said"); its
    title has two words or more and a head that is no ordinary word unless a party's ("the
    secretary", "the staff member" have many holders; "the Republican presidential candidate"
    one). The principal is the
    person named most often (at least `PRINCIPAL_MENTIONS` times and `PRINCIPAL_LEAD` times as
    often as the next) of those no title phrase was read for, among the two named most often
    of all, named before the description and within `PRINCIPAL_REACH` sentences of it, no
    subject or object in its sentence ("Y mentioned the former secretary of state" is not
    about Y) and sharing no surname with anyone else in the article.
    """
    doc = ctx.doc
    if not doc.has_annotation("DEP") or PEOPLE_KEY not in doc.spans:
        return []
    mentions: dict[str, list[int]] = {}
    for span in doc.spans[PEOPLE_KEY]:
        mentions.setdefault(span.kb_id_, []).append(span.start)
    top_two = set(sorted(mentions, key=lambda p: -len(mentions[p]))[:2])
    holders = {person for person, _ in results} | described
    held = [set(title.split()) for _, title in results]
    introduced: set[str] = set()  # offices introduced unnamed: "a Mexican official"
    out: list[tuple[Span, str, Found]] = []
    for tok in doc:
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            introduced.add(tok.lower_)
        if not _a_description(ctx, tok) or tok.lower_ in introduced:
            continue
        found = title_phrase(ctx, tok)
        if (
            found is None
            or found.country is not None
            or (found.org is not None and not ctx.is_party(found.org))  # "the Fox News chief"
            or any(k in ctx.person_tok for k in range(found.start, found.end))
            or any(doc[k].lower_ in OTHER_HOLDER for k in range(found.start, found.end))
            # "the leader of the county he visits": the office of some body the title left out
            or any(c.dep_ == "prep" and c.i >= found.end for c in tok.children)
        ):
            continue
        words = set(norm_title(found.title, ctx.lex).split())
        if len(words) < 2 or (tok.lower_ in AMBIGUOUS and found.org is None):
            continue  # "the secretary", "the staff member", "the head of the table": many hold it
        if any(words <= h or h <= words for h in held):
            continue  # "the chancellor" after "Chancellor Ann Holt": her office, read already
        subjects = _clause_subjects(ctx, tok)
        ranked = sorted(
            ((len(starts), p) for p, starts in mentions.items() if p not in holders and p not in subjects),
            reverse=True,
        )
        if not ranked or ranked[0][0] < PRINCIPAL_MENTIONS:
            continue
        if len(ranked) > 1 and ranked[1][0] * PRINCIPAL_LEAD > ranked[0][0]:
            continue  # no clear principal: "the prime minister" may be either
        person = ranked[0][1]
        first = min(mentions[person])
        if person not in top_two or first > tok.i or _shares_surname(person, mentions):
            continue
        sent = ctx.sent_index(tok.i)
        if not any(sent - PRINCIPAL_REACH <= ctx.sent_index(i) <= sent for i in mentions[person]):
            continue  # the story has turned to someone it may not name
        out.append((doc[first : first + 1], person, found))
        holders.add(person)
        held.append(words)
    return out


def _shares_surname(person: str, mentions: dict[str, list[int]]) -> bool:
    """Whether someone else in the article bears `person`'s surname (a relative: "Eric Trump")."""
    last = person.split()[-1]
    return any(p != person and p.split()[-1] == last for p in mentions)


def _a_description(ctx: Context, tok: Token) -> bool:
    """Whether `tok` heads a singular definite description of an office that refers on its own."""
    doc = ctx.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (
        tok.tag_ in ("NN", "NNP")
        and ctx.lex.is_title_head(tok.text)
        and tok.i not in ctx.person_tok
        and tok.dep_ not in NOT_REFERRING
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
        and not any(c.dep_ == "appos" for c in tok.children)
        and not (
            nxt is not None and (nxt.i in ctx.person_tok or (nxt.text == "," and _name_after(ctx, nxt.i)))
        )
        and not _name_before(ctx, tok.left_edge.i)
        and not main_subject(tok)
        and not ctx.in_quote(tok.i)
    )


def _name_after(ctx: Context, comma: int) -> bool:
    """ "the mayor of Terre Haute, Duke Bennett,": a name right after the comma."""
    return comma + 1 < len(ctx.doc) and (comma + 1 in ctx.person_tok or ctx.doc[comma + 1].pos_ == "PROPN")


def _name_before(ctx: Context, start: int) -> bool:
    """ "Steve Holt, the former union organizer": a name and a comma right before the phrase."""
    return start >= 2 and ctx.doc[start - 1].text == "," and start - 2 in ctx.person_tok


def _clause_subjects(ctx: Context, tok: Token) -> set[str]:
    """The people who are a subject or an object anywhere in the sentence of `tok`: a
    description is not one of its own sentence's participants ("When the moderator said Trump
    had not answered", "Y accused X of attacking the Democratic nominee"); a name that only
    qualifies another ("Clinton aide X") is none."""
    return {
        ctx.person_by_tok[t.i]
        for t in tok.sent
        if t.i in ctx.person_by_tok and t.dep_ in ("nsubj", "nsubjpass", "dobj")
    }
