"""Positions: who holds which title, for which organisation and country.

The `newsmeta_positions` component sets `doc._.newsmeta_positions`, a list of `Position`
records, from the people and organisations `newsmeta_entities` found and the countries
`newsmeta_countries` found. One module a job (docs/positions.md has the shapes read):

    words        the word lists and data files of titles; is a token a title word
    context      per-document lookups (organisations, parties, countries, people, sentences)
                 and the organisation an office belongs to when its words do not say
    phrase       reading one title phrase: office, organisation, country, "former"
    before       titles before a name ("Tory leader X", "Sen. X (R-Ohio)")
    after        appositions ("X, Russia's foreign minister,")
    clauses      copulas, verbs of appointing and "as" phrases ("X was named CEO")
    founding     founders and owners ("Y was founded by X")
    running      verbs of running something ("X, who heads the agency", "she anchors the news")
    pronouns     offices stated of "he"/"she", resolved as quote speakers are
    described    "The chancellor said ..." for the person just named
    principal    "photos of the former secretary of State" for the story's principal
    notes        a note on the author closing an article states none of the story's offices
    offices      the organisation and country settled once every title is read
    component    the spaCy component that assembles and de-duplicates the records

A title is normalised to the office alone, lower case ("UK Prime Minister" -> "prime
minister", "CEO" -> "chief executive officer").
"""

from app.extraction.positions.component import PositionsComponent
from app.extraction.positions.offices import with_article_country

# The name tests and earlier callers import.
_with_article_country = with_article_country

__all__ = ["PositionsComponent", "with_article_country"]
