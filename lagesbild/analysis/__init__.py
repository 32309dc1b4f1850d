"""Pure analysis functions over observations: no Django, no I/O.

Everything here takes plain Python values (dataclasses, lists, dicts) and returns plain values,
so it can be tested with hand-computed answers and reused outside the web app.
"""
