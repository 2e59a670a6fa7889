"""Editing from the browser: proposals from an article or a spreadsheet, edits of one row, saves and undo.

A change under review is a list of items (plain JSON, kept by the page): add a partnership or an
exchange, change one, or remove one. Saving applies the accepted items to the tables as they are at
that moment, through the one write path (`atlas.store`), and logs it in `changes.jsonl`.
"""
