"""Write reference/data/technology_skills.csv: the hot technologies of O*NET that skills.csv lacks.

Input: `Technology Skills.txt` of the O*NET 29.2 Database (CC BY 4.0, U.S. Department of Labor,
Employment and Training Administration), the release behind occupations.csv. Run:

    python scripts/onet_technology_skills.py "<path to Technology Skills.txt>"

O*NET names the software each occupation uses ("Example") and flags the ones employers ask for
most ("Hot Technology"). Each hot technology becomes a tool (kind `tool`) unless the taxonomy
already finds it in the product's name ("Oracle Java" is Java, "IBM Terraform" Terraform, "Red Hat
Enterprise Linux" Linux; a vendor alone, such as Oracle or SAP, does not count). Its aliases are forms a posting writes, none of them ordinary English:

- the name without a trailing "software" ("Workday software" -> `Workday`), and the vendor's
  product without the vendor ("Adobe Illustrator" keeps `adobe illustrator`; "Microsoft SharePoint"
  adds `sharepoint`) only when that product name is several words or written in mixed case or with
  digits: a single plain word ("Word", "Access", "Project", "Teams", "Outlook") names nothing alone;
- the words before a trailing acronym ("Microsoft SQL Server Integration Services SSIS"), and
  the acronym alone only from four characters on: a shorter one names too many things ("ASP" is
  also an average selling price, "EHR" any health record, "IDE" any editor);
- a tool whose own name is one plain word ("Slack", "Zoom", "Workday") is case-sensitive, so
  "Slack" is found and "slack" is not.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "libs/careerlake/reference/data"
OUT = DATA / "technology_skills.csv"
COLUMNS = ("skill_id", "skill_name", "category", "kind", "aliases", "case_sensitive", "context_aliases")

# Vendors written before the product in O*NET's names, longest first.
VENDORS = (
    "Amazon Web Services AWS",
    "Dassault Systemes",
    "Henry Schein",
    "The MathWorks",
    "Red Hat",
    "Adobe",
    "Amazon",
    "Apache",
    "Apple",
    "Atlassian",
    "Autodesk",
    "Bentley",
    "Cisco",
    "Eclipse",
    "ESRI",
    "Google",
    "IBM",
    "Intuit",
    "Microsoft",
    "Oracle",
    "SAP",
    "Trimble",
)
# Shortest acronym that is an alias on its own.
MIN_ACRONYM = 4
# Social networks: a posting names them as employers or where to apply, not as tools.
NOT_TOOLS = frozenset({"Facebook", "LinkedIn", "TikTok"})
# O*NET commodity (UNSPSC) title -> skills.csv category; the rest are `other`.
CATEGORIES = {
    "Analytical or scientific software": "analytics",
    "Application server software": "devops",
    "Business intelligence and data analysis software": "bi",
    "Cloud-based management software": "cloud",
    "Configuration management software": "devops",
    "Data base management system software": "database",
    "Data base reporting software": "bi",
    "Data base user interface and query software": "database",
    "Development environment software": "software",
    "Enterprise application integration software": "software",
    "File versioning software": "devops",
    "Graphical user interface development software": "software",
    "Internet directory services software": "security",
    "Object oriented data base management software": "database",
    "Object or component oriented development software": "software",
    "Operating system software": "devops",
    "Program testing software": "software",
    "Switch or router software": "devops",
    "Web platform development software": "software",
}


def tokens(text: str) -> list[str]:
    """The taxonomy's tokenizer (careerlake.reference.taxonomy.tokenize), kept here so the script
    runs without the package installed."""
    separators = r"[\s,;:()\[\]{}<>\"'`|!?*/\\=~^@$%\u2026\u2022\u00b7\u2013\u2014]+"
    trimmed = (re.sub(r"^[.\-_]+|[.\-_]+$", "", t) for t in re.split(separators, text))
    return [t for t in trimmed if t]


def plain_word(name: str) -> bool:
    """One token with no capital after its first letter, no digit and no '.': an ordinary word."""
    return " " not in name and not re.search(r"[A-Z0-9.]", name[1:])


def _split(field: str) -> list[str]:
    return [a for a in field.split("|") if a]


def known_names() -> tuple[set[str], set[str], set[str]]:
    """Aliases of skills.csv (lower-cased when they match in any case, exact otherwise) and its ids."""
    folded, exact, ids = set(), set(), set()
    with (DATA / "skills.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ids.add(row["skill_id"])
            names = [*_split(row["aliases"]), row["skill_name"]]
            if row["case_sensitive"] == "true":
                exact.update(" ".join(tokens(a)) for a in [*names, *_split(row["context_aliases"])])
            else:
                folded.update(" ".join(tokens(a)).lower() for a in names)
    return folded, exact, ids


def vendor_and_product(name: str) -> tuple[str, str]:
    vendor = next((v for v in VENDORS if name.startswith(v + " ")), "")
    return vendor, name[len(vendor) :].strip()


def already_found(name: str, folded: set[str], exact: set[str]) -> bool:
    """The taxonomy already finds a skill in the product's name (a run of its tokens is an alias)."""
    words = tokens(vendor_and_product(name)[1])
    grams = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    return any(g.lower() in folded or g in exact for g in grams)


def names_of(example: str) -> list[str]:
    """The forms of one O*NET name a posting would write, most specific first."""
    name = re.sub(r" software$", "", example)
    forms = [name]
    words = name.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z][A-Z0-9]+", words[-1]):
        before = " ".join(words[:-1])
        if len(words[-1]) >= MIN_ACRONYM:
            forms = [before, words[-1]]
        elif not plain_word(before):  # "Eclipse IDE" stays whole: "Eclipse" alone is a word
            forms = [name, before]
    for form in list(forms):
        vendor, product = vendor_and_product(form)
        if vendor and not plain_word(product) and len(product) >= MIN_ACRONYM:
            forms.append(product)
    own_name_only = [forms[0]] if plain_word(forms[0]) else []
    return list(dict.fromkeys(f for f in forms if not plain_word(f))) + own_name_only


def skill_row(example: str, commodity: str) -> dict[str, str]:
    forms = names_of(example)
    sensitive = any(plain_word(f) for f in forms)
    display = re.sub(r" software$", "", example)
    return {
        "skill_id": re.sub(r"[^a-z0-9]+", "_", display.lower()).strip("_"),
        "skill_name": display,
        "category": CATEGORIES.get(commodity, "other"),
        "kind": "tool",
        "aliases": "|".join(forms if sensitive else dict.fromkeys(f.lower() for f in forms)),
        "case_sensitive": str(sensitive).lower(),
        "context_aliases": "",
    }


def main(source: Path) -> None:
    with source.open(encoding="utf-8") as handle:
        hot = {
            row["Example"]: row["Commodity Title"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row["Hot Technology"] == "Y"
        }
    folded, exact, ids = known_names()
    rows = []
    for example in sorted(hot, key=str.lower):
        if example in NOT_TOOLS or already_found(example, folded, exact):
            continue
        row = skill_row(example, hot[example])
        aliases = {" ".join(tokens(a)).lower() for a in _split(row["aliases"])}
        if row["skill_id"] in ids or aliases & folded or not aliases:
            continue
        rows.append(row)
        ids.add(row["skill_id"])
        folded |= aliases
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
