"""Entity merging: pairs of person names that must become one entity and
look-alike pairs that must not.

Must merge: transliteration and spelling variants of real people's names as
different outlets print them (a list below, from public usage), plus every
person named in full in the PolNeAR dev texts paired with the surname alone
and with a title in front ("Sen. ...", "President ...").
Must not merge: people in those texts who share a first name or a surname
(Bill / Hillary Clinton), and known look-alikes (Kim Jong-un / Kim Jong-il).

storyline's ``entities.merge`` decides on two mentions of one story; the
baselines compare the two strings: exact match after title stripping, and
rapidfuzz token-set ratio >= 90.
"""

from __future__ import annotations

import random
from itertools import combinations

from bench_quotes import load
from rapidfuzz import fuzz

from storyline.entities import Mention, clean_name, merge
from storyline.parsing import nlp

from common import print_table, write_results

VARIANTS = [
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy"), ("Volodymyr Zelensky", "Volodymyr Zelenskiy"),
    ("Muammar Gaddafi", "Muammar Qaddafi"), ("Muammar Gaddafi", "Muammar Gadhafi"),
    ("Mikhail Khodorkovsky", "Mikhail Khodorkovskiy"), ("Sergei Lavrov", "Sergey Lavrov"),
    ("Dmitry Peskov", "Dmitri Peskov"), ("Yulia Tymoshenko", "Yuliya Tymoshenko"),
    ("Alexei Navalny", "Aleksei Navalny"), ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
    ("Hassan Rouhani", "Hasan Rowhani"), ("Kim Jong-un", "Kim Jong Un"),
    ("Andriy Yermak", "Andrii Yermak"), ("Dmytro Kuleba", "Dmitry Kuleba"),
    ("Sergei Shoigu", "Sergey Shoygu"), ("Mahmoud Abbas", "Mahmud Abbas"),
    ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"), ("Osama bin Laden", "Usama bin Laden"),
    ("Mohammed bin Salman", "Mohammad bin Salman"), ("Alexander Lukashenko", "Aleksandr Lukashenko"),
    ("Vitali Klitschko", "Vitaliy Klitschko"), ("Mykhailo Podolyak", "Mykhaylo Podolyak"),
    ("David Arakhamia", "David Arahamia"), ("Alexander Fomin", "Aleksandr Fomin"),
    ("Oleksii Reznikov", "Oleksiy Reznikov"), ("Denys Shmyhal", "Denis Shmyhal"),
    ("Nikita Khrushchev", "Nikita Khrushchyov"), ("Boris Yeltsin", "Boris Jeltsin"),
    ("Fyodor Dostoevsky", "Fyodor Dostoyevsky"), ("Pyotr Tchaikovsky", "Pyotr Chaikovsky"),
    ("Ali Khamenei", "Ali Khamenei"), ("Bashar al-Assad", "Bashar Assad"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr Baghdadi"), ("Ekrem Imamoglu", "Ekrem İmamoğlu"),
    ("Mevlut Cavusoglu", "Mevlüt Çavuşoğlu"), ("Angela Merkel", "Angela Merkel"),
]
LOOKALIKES = [
    ("Kim Jong-un", "Kim Jong-il"), ("Bill Clinton", "Hillary Clinton"), ("George W. Bush", "Jeb Bush"),
    ("Joe Biden", "Hunter Biden"), ("Vladimir Putin", "Vladimir Medinsky"), ("Dmitry Medvedev", "Viktor Medvedchuk"),
    ("Boris Johnson", "Boris Johnston"), ("Alexander Fomin", "Olexander Scherba"), ("Antony Blinken", "Joe Biden"),
    ("Raul Castro", "Fidel Castro"), ("Ali Khamenei", "Ali Larijani"), ("Michelle Obama", "Barack Obama"),
]
TITLES = ["President", "Sen.", "Secretary", "Gov.", "Dr.", "former Vice President"]


def real_names() -> list[str]:
    names: set[str] = set()
    for _, text, _ in load("dev"):
        for ent in nlp()(text).ents:
            name = clean_name(ent.text)
            if ent.label_ == "PERSON" and 2 <= len(name.split()) <= 3 and all(t[:1].isupper() for t in name.split()):
                names.add(name)
    return sorted(names)


def build(seed: int = 3) -> tuple[list[tuple[str, str, bool, str]], int]:
    rng = random.Random(seed)
    names = real_names()
    pairs = [(a, b, True, "transliteration variant") for a, b in VARIANTS]
    pairs += [(n, n.split()[-1], True, "full name / surname") for n in names]
    pairs += [(n, f"{rng.choice(TITLES)} {n}", True, "full name / titled name") for n in names]
    surnames: dict[str, list[str]] = {}
    firsts: dict[str, list[str]] = {}
    for n in names:
        surnames.setdefault(n.split()[-1], []).append(n)
        firsts.setdefault(n.split()[0], []).append(n)
    same_surname = [(a, b) for group in surnames.values() for a, b in combinations(group, 2)
                    if a.split()[0] != b.split()[0] and a.split()[0][0] != b.split()[0][0]]
    same_first = [(a, b) for group in firsts.values() for a, b in combinations(group, 2)
                  if fuzz.ratio(a.split()[-1], b.split()[-1]) < 90]
    pairs += [(a, b, False, "same surname, other person") for a, b in same_surname]
    pairs += [(a, b, False, "same first name, other person") for a, b in rng.sample(same_first, min(200, len(same_first)))]
    pairs += [(a, b, False, "known look-alike") for a, b in LOOKALIKES]
    return pairs, len(names)


def storyline_merges(a: str, b: str) -> bool:
    mentions = [Mention("a1", 0, len(a), clean_name(a), "PERSON"), Mention("a2", 0, len(b), clean_name(b), "PERSON")]
    return len(merge(mentions)) == 1


def main() -> dict:
    pairs, n_names = build()
    systems = {
        "storyline": storyline_merges,
        "exact match": lambda a, b: clean_name(a).lower() == clean_name(b).lower(),
        "rapidfuzz token-set ≥ 90": lambda a, b: fuzz.token_set_ratio(clean_name(a), clean_name(b)) >= 90,
    }
    results = {"pairs": len(pairs), "names_from_polnear": n_names, "systems": {}}
    kinds = sorted({k for *_, k in pairs})
    for name, decide in systems.items():
        decisions = [decide(a, b) for a, b, *_ in pairs]
        tp = sum(d and y for d, (_, _, y, _) in zip(decisions, pairs))
        fp = sum(d and not y for d, (_, _, y, _) in zip(decisions, pairs))
        fn = sum(not d and y for d, (_, _, y, _) in zip(decisions, pairs))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        by_kind = {k: sum(d for d, p in zip(decisions, pairs) if p[3] == k) / sum(1 for p in pairs if p[3] == k)
                   for k in kinds}
        errors = [f"{a} / {b}" for d, (a, b, y, _) in zip(decisions, pairs) if d != y]
        results["systems"][name] = {"precision": precision, "recall": recall,
                                    "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
                                    "merged_share_by_kind": by_kind, "errors": errors[:40]}
    print_table(f"Entity merging: {len(pairs)} name pairs", ["system", "precision", "recall", "F1"],
                [[n, v["precision"], v["recall"], v["f1"]] for n, v in results["systems"].items()])
    print_table("Share merged, by kind of pair", ["kind"] + list(systems),
                [[k] + [results["systems"][n]["merged_share_by_kind"][k] for n in systems] for k in kinds])
    print("storyline errors:", results["systems"]["storyline"]["errors"][:20])
    write_results("entities", results)
    return results


def markdown(r: dict) -> str:
    systems = r["systems"]
    rows = "\n".join(f"| {n} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |" for n, v in systems.items())
    kinds = list(next(iter(systems.values()))["merged_share_by_kind"])
    by_kind = "\n".join(f"| {k} | " + " | ".join(f"{systems[n]['merged_share_by_kind'][k]:.3f}" for n in systems) + " |"
                        for k in kinds)
    errors = "; ".join(systems["storyline"]["errors"][:12]) or "none"
    return f"""## Entity merging (issue 5)

`benchmarks/bench_entities.py`, {r['date']}: {r['pairs']} pairs of person names. Must merge:
transliteration variants of real names as printed by different outlets, and each of the
{r['names_from_polnear']} full person names spaCy finds in the PolNeAR dev texts with its surname alone and
with a title. Must not merge: people in those texts sharing a first name or a surname, and known
look-alikes (Kim Jong-un / Kim Jong-il, Bill / Hillary Clinton).

| system | precision | recall | F1 |
|---|---:|---:|---:|
{rows}

Share of pairs merged, by kind (1.0 is right for the first three, 0.0 for the rest):

| kind | {' | '.join(systems)} |
|---|{'---:|' * len(systems)}
{by_kind}

storyline's mistakes: {errors}.
"""


if __name__ == "__main__":
    main()
