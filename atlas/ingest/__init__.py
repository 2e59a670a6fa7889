"""Reading press articles into proposed partnerships and events, in stages with one job each:

article (clean text, its own date and source) → sentences → mentions (places, from atlas.places)
→ relations (who is tied to whom, how strongly, on which date) → propose (context, weighing,
sectors, events, comparison with the data) → apply (rows, the one write). `command` is the
command line; `score` measures proposals against hand-made keys. The vocabulary is data, in
lexicon/*.toml.

    from atlas.ingest import Knowledge, additions, propose
    proposals = propose(text, Knowledge.load(data_dir))   # text as pasted: cleaned, then read
    rows = additions(proposals, knowledge)                # the rows it would add (apply.write commits them)
"""

from atlas.ingest.article import Article, ArticleError, clean, read_article_file
from atlas.ingest.knowledge import Knowledge
from atlas.ingest.propose import Evidence, Proposals, ProposedEvent, ProposedPartnership, propose

__all__ = [
    "Additions",
    "Article",
    "ArticleError",
    "Evidence",
    "Knowledge",
    "Proposals",
    "ProposedEvent",
    "ProposedPartnership",
    "additions",
    "clean",
    "event_row",
    "partnership_row",
    "propose",
    "read_article_file",
]
