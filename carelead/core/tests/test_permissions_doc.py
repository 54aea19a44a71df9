"""docs/permissions.md shows the role table the code enforces; this keeps the two the same."""

from pathlib import Path

from carelead.core.permissions import GRANTABLE, ROLE_PERMS, Perm, Role

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def role_table() -> str:
    """The markdown table of roles × permissions, generated from ROLE_PERMS."""
    perms = [perm for perm in Perm if perm != Perm.OWN_ACCOUNT]
    lines = ["| role | " + " | ".join(f"`{perm}`" for perm in perms) + " |",
             "|---|" + "---|" * len(perms)]
    for role in Role:
        granted = ROLE_PERMS[role]
        cells = []
        for perm in perms:
            if perm in granted:
                cells.append("yes")
            elif perm in GRANTABLE and role == Role.ORG_ADMIN:
                cells.append("if granted")
            else:
                cells.append("")
        lines.append(f"| {role.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_every_role_has_an_entry_in_the_table():
    assert set(ROLE_PERMS) == set(Role)


def test_the_permissions_doc_shows_the_table_the_code_enforces():
    assert role_table() in DOC.read_text(), (
        "docs/permissions.md is out of date; paste this table into it:\n\n" + role_table()
    )
