"""What a relation is: an entry in one kind's files that names an entity of another kind (a
stance names an actor, a round mention a round), so that both pages show it.

The relations themselves are declared once, in the registry (`macros/kinds.py`, `RELATIONS`);
the model, the checks, the ledger, `make fact-ids`, the views and the JSON twins read them from
there. Adding one is one `Relation` and its schema class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from macros.model.schema import Cited

Name = Callable[[str, str], str]  # (kind, id) -> the entity's name as a reader sees it


@dataclass(frozen=True)
class Relation:
    field: str  # its field in the holder's files ("stances"): also the relation's name
    schema: type[Cited]  # the class of its entries
    holder: str  # the kind whose files hold it ("demands")
    other: str  # the kind of the entities it names ("actors")
    ends: Callable[[Any], tuple[str | None, ...]]  # the ids an entry names (None: not given)
    make_id: Callable[[Any, str], str]  # (entry, holder's id) -> the id `make fact-ids` writes
    # (entry, name, the entity holding it) -> in a few words: "Russia rejects it"
    says: Callable[[Any, Name, Any], str]
    twin_key: str  # its key in the `related` of the other end's JSON twin
    twin: Callable[[str, Any, str], Any]  # (holder's id, entry, other's id) -> that JSON
    twin_ids_key: str = ""  # a key for the holders' ids alone too (an older shape of the twin)
    anchored: bool = True  # a statement with its anchor on the other end's page (else a link)


def relation_of(relations: tuple[Relation, ...], node: object) -> Relation | None:
    """The relation an entry belongs to; None for a fact."""
    return next((r for r in relations if isinstance(node, r.schema)), None)


def shown_on(relations: tuple[Relation, ...], node: object) -> tuple[tuple[str, str], ...]:
    """(kind, id) of the pages besides its own file's that show a statement at its anchor."""
    relation = relation_of(relations, node)
    if relation is None or not relation.anchored:
        return ()
    return tuple((relation.other, end) for end in dict.fromkeys(relation.ends(node)) if end)
