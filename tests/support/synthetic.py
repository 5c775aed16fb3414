"""Synthetic news articles for benchmarks: deterministic, seedable, distinct, no copied text.

Every article is composed from templates and word lists, in the layout of the scraped samples in
`raw/` (breadcrumb, section label, title, dateline, paragraphs with subheadings, comment form,
trailing labels). Article `i` depends only on `(seed, i)`, so a corpus can be extended with
`start_index` and the existing files stay byte for byte the same.

Dev command: `python tests/support/synthetic.py OUT_DIR --count 1000 --seed 0`
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

MIN_WORDS = 150
MAX_WORDS = 1500

FIRST_NAMES = (
    "Amina",
    "Wanjiru",
    "Otieno",
    "Kipchoge",
    "Achieng",
    "Mwangi",
    "Njeri",
    "Kamau",
    "Chebet",
    "Omondi",
    "Halima",
    "Baraka",
    "Zawadi",
    "Kiprono",
    "Nyokabi",
    "Wafula",
    "Fatuma",
    "Jelagat",
    "Mutua",
    "Akinyi",
    "Ngozi",
    "Chinedu",
    "Thabo",
    "Lindiwe",
    "Kwame",
    "Abena",
    "Yusuf",
    "Mariam",
    "Tendai",
    "Sipho",
    "Aisha",
    "Emeka",
    "Nomvula",
    "Kofi",
    "Adwoa",
    "Hassan",
    "Daniel",
    "Grace",
    "Peter",
    "Mercy",
    "Samuel",
    "Esther",
    "Joseph",
    "Faith",
    "David",
    "Catherine",
    "Elena",
    "Marco",
    "Ingrid",
    "Hiroshi",
    "Priya",
    "Carlos",
    "Sofia",
    "Liam",
)
SURNAMES = (
    "Kariuki",
    "Odhiambo",
    "Wekesa",
    "Cheruiyot",
    "Njoroge",
    "Mutiso",
    "Barasa",
    "Kilonzo",
    "Onyango",
    "Wambui",
    "Korir",
    "Nyaga",
    "Ruto",
    "Owino",
    "Gitau",
    "Lagat",
    "Masinde",
    "Kibet",
    "Mohamed",
    "Abdi",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Dlamini",
    "Nkosi",
    "Moyo",
    "Banda",
    "Mwansa",
    "Haile",
    "Tesfaye",
    "Kagame",
    "Nyerere",
    "Okello",
    "Ssempala",
    "Mugisha",
    "Achebe",
    "Diallo",
    "Traore",
    "Keita",
    "Lindqvist",
    "Moreau",
    "Fischer",
    "Tanaka",
    "Sharma",
    "Alvarez",
    "Rossi",
    "Kowalski",
    "Brennan",
    "Whitfield",
    "Ahmed",
    "Jama",
    "Wario",
    "Lekishon",
)
TITLES = (
    "President",
    "Deputy President",
    "Prime Minister",
    "Cabinet Secretary",
    "Principal Secretary",
    "Governor",
    "Deputy Governor",
    "Senator",
    "MP",
    "Chief Justice",
    "Attorney General",
    "Ambassador",
    "High Commissioner",
    "Minister",
    "Foreign Minister",
    "Finance Minister",
    "Speaker",
    "Dr.",
    "Prof.",
    "Inspector General",
    "Chairperson",
    "Director General",
    "Secretary General",
    "Commissioner",
    "Justice",
    "Lieutenant General",
    "Bishop",
)
ORGANISATIONS = (
    ("Independent Electoral and Boundaries Commission", "IEBC"),
    ("Ethics and Anti-Corruption Commission", "EACC"),
    ("Kenya Revenue Authority", "KRA"),
    ("Central Bank of Kenya", "CBK"),
    ("National Treasury", None),
    ("Council of Governors", "CoG"),
    ("Law Society of Kenya", "LSK"),
    ("Kenya National Union of Teachers", "KNUT"),
    ("Directorate of Criminal Investigations", "DCI"),
    ("National Police Service", "NPS"),
    ("Kenya Defence Forces", "KDF"),
    ("Teachers Service Commission", "TSC"),
    ("Kenya Power", None),
    ("Parliamentary Budget Office", "PBO"),
    ("Salaries and Remuneration Commission", "SRC"),
    ("Office of the Auditor General", "OAG"),
    ("African Union", "AU"),
    ("East African Community", "EAC"),
    ("Intergovernmental Authority on Development", "IGAD"),
    ("Southern African Development Community", "SADC"),
    ("Economic Community of West African States", "ECOWAS"),
    ("African Development Bank", "AfDB"),
    ("United Nations", "UN"),
    ("World Health Organization", "WHO"),
    ("International Monetary Fund", "IMF"),
    ("World Bank", None),
    ("European Union", "EU"),
    ("World Food Programme", "WFP"),
    ("Amnesty International", None),
    ("Red Cross Society", None),
    ("Federation of Kenya Employers", "FKE"),
    ("Central Organization of Trade Unions", "COTU"),
    ("Kenya Medical Practitioners and Dentists Union", "KMPDU"),
    ("Kenya Institute of Public Policy Research", "KIPPRA"),
    ("National Cohesion and Integration Commission", "NCIC"),
    ("Orange Democratic Movement", "ODM"),
    ("United Democratic Alliance", "UDA"),
    ("Wiper Democratic Movement", "WDM"),
    ("African National Congress", "ANC"),
    ("Safaricom", None),
    ("Equity Bank", None),
    ("Kenya Airways", "KQ"),
)
KENYAN_PLACES = (
    "Nairobi",
    "Mombasa",
    "Kisumu",
    "Nakuru",
    "Eldoret",
    "Nyeri",
    "Machakos",
    "Garissa",
    "Kakamega",
    "Meru",
    "Kitui",
    "Lamu",
    "Malindi",
    "Narok",
    "Kericho",
    "Bungoma",
    "Embu",
    "Isiolo",
    "Marsabit",
    "Lodwar",
    "Thika",
    "Naivasha",
    "Kitale",
    "Homa Bay",
    "Migori",
    "Voi",
    "Wajir",
    "Mandera",
)
FOREIGN_PLACES = (
    ("Kampala", "Uganda"),
    ("Dar es Salaam", "Tanzania"),
    ("Kigali", "Rwanda"),
    ("Addis Ababa", "Ethiopia"),
    ("Mogadishu", "Somalia"),
    ("Juba", "South Sudan"),
    ("Khartoum", "Sudan"),
    ("Lagos", "Nigeria"),
    ("Abuja", "Nigeria"),
    ("Accra", "Ghana"),
    ("Dakar", "Senegal"),
    ("Johannesburg", "South Africa"),
    ("Pretoria", "South Africa"),
    ("Lusaka", "Zambia"),
    ("Harare", "Zimbabwe"),
    ("Kinshasa", "DR Congo"),
    ("Cairo", "Egypt"),
    ("Bujumbura", "Burundi"),
    ("Maputo", "Mozambique"),
    ("Gaborone", "Botswana"),
    ("London", "United Kingdom"),
    ("Washington", "United States"),
    ("Brussels", "Belgium"),
    ("Geneva", "Switzerland"),
    ("Beijing", "China"),
    ("New Delhi", "India"),
    ("Berlin", "Germany"),
    ("Paris", "France"),
    ("Doha", "Qatar"),
    ("Tokyo", "Japan"),
    ("Ottawa", "Canada"),
)
SECTIONS = (
    "Politics",
    "Governance",
    "Business",
    "Counties",
    "Security",
    "Africa",
    "World",
    "Economy",
    "Health",
    "Education",
    "National News",
    "Environment",
    "Opinion",
    "Top Stories",
    "Crime",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOPICS = (
    "the Finance Bill",
    "the housing levy",
    "the county budget",
    "the electoral reforms",
    "the teachers' pay deal",
    "the health insurance scheme",
    "the road construction programme",
    "the fertiliser subsidy",
    "the debt restructuring plan",
    "the security operation",
    "the anti-corruption drive",
    "the public participation exercise",
    "the coastal port expansion",
    "the drought response",
    "the refugee resettlement plan",
    "the digital identity rollout",
    "the university funding model",
    "the regional peace talks",
    "the trade agreement",
    "the power tariff review",
    "the water supply project",
    "the land registry audit",
    "the climate adaptation fund",
    "the border reopening",
    "the cross-border rail link",
)
VERBS_SAID = ("said", "noted", "told reporters", "added", "argued", "insisted", "explained", "warned")
OBJECTS = (
    "accountability",
    "transparency",
    "service delivery",
    "food security",
    "job creation",
    "public debt",
    "devolution",
    "regional stability",
    "investor confidence",
    "the rule of law",
    "fiscal discipline",
    "youth employment",
    "national cohesion",
    "press freedom",
    "public health",
)
ADJECTIVES = (
    "sweeping",
    "contested",
    "long-delayed",
    "ambitious",
    "controversial",
    "modest",
    "landmark",
    "phased",
    "revised",
    "emergency",
    "bipartisan",
    "multi-year",
    "costly",
    "fragile",
)
ACTIONS = (
    "approved",
    "rejected",
    "defended",
    "criticised",
    "questioned",
    "endorsed",
    "suspended",
    "reviewed",
    "unveiled",
    "tabled",
    "signed",
    "postponed",
    "welcomed",
    "challenged",
)
HEADLINE_VERBS = (
    "Defends",
    "Rejects",
    "Backs",
    "Questions",
    "Unveils",
    "Warns Over",
    "Pushes For",
    "Faces Pressure Over",
    "Signs Deal On",
    "Calls For Review Of",
    "Breaks Silence On",
    "Demands Answers On",
)
SUBHEADINGS = (
    "Budget concerns",
    "Regional implications",
    "Next steps",
    "Reactions",
    "Legal battle",
    "Public outcry",
    "Economic impact",
    "Security situation",
    "What the law says",
    "Background",
    "Diplomatic push",
    "Looking ahead",
    "Community voices",
    "Funding gap",
    "Political fallout",
)
TEMPLATES = (
    "{person} {action} {topic} on {weekday}, saying it would strengthen {obj} across {place}.",
    "Speaking in {place} on {long_date}, {person} said the {org} would publish a full report "
    "within {n} days.",
    "The {org_name} has {action} {topic}, a move that officials in {place} described as {adjective}.",
    "According to the {org_ref}, at least {n} projects worth Sh{m} billion were affected by the delays.",
    "“We cannot allow {topic} to undermine {obj},” {surname} {said}.",
    "“Our position has not changed. We want {obj} and we want it now,” {person} {said}.",
    "{surname} {said} that the {org_ref} had been consulted before the decision was made.",
    "Critics, among them {person}, argue that {topic} is {adjective} and poorly explained.",
    "The matter is expected to come up before the {org_name} when it meets in {place} next week.",
    "In {country}, {person} urged leaders in the region to prioritise {obj}.",
    "Data from the {org_ref} show that {n} per cent of households in {place} were affected.",
    "{surname} later met officials from the {org_name} ({acronym}) to discuss {topic}.",
    "Observers in {place} say the outcome will shape the debate on {obj} ahead of the next election.",
    "A delegation led by {person} arrived in {foreign_place} on {weekday} for talks on {topic}.",
    "The {org_ref} said in a statement that it had {action} the proposal after a review of {obj}.",
    "Residents of {place} told reporters they had waited {n} months for a response from the authorities.",
    "The proposal, first floated in {long_month}, has been {action} by {person} and several colleagues.",
    "{person} also pointed to the role of the {org_name} in supporting {obj} in {country}.",
    "Earlier, {surname} had written to the {org_ref} seeking clarification on {topic}.",
    "The {adjective} plan is projected to cost Sh{m} billion over {n} years, the {org_ref} said.",
)


@dataclass(frozen=True)
class Person:
    """A named person with the title the article introduces them by."""

    title: str
    first: str
    surname: str

    @property
    def full(self) -> str:
        return f"{self.title} {self.first} {self.surname}"


@dataclass(frozen=True)
class Organisation:
    """An organisation and, when it has one, its acronym."""

    name: str
    acronym: str | None


class ArticleWriter:
    """Composes one article from a seeded random source; each instance writes exactly one."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.people = [
            Person(rng.choice(TITLES), rng.choice(FIRST_NAMES), rng.choice(SURNAMES))
            for _ in range(rng.randint(2, 6))
        ]
        self.organisations = [Organisation(*pair) for pair in rng.sample(ORGANISATIONS, rng.randint(2, 5))]
        self.home = rng.choice(KENYAN_PLACES)
        self.places = rng.sample(KENYAN_PLACES, 4)
        self.foreign = rng.sample(FOREIGN_PLACES, 2)
        self.topic = rng.choice(TOPICS)
        self.introduced: set[Person] = set()
        self.named_org: set[Organisation] = set()

    def person(self) -> str:
        """Full name with title on first mention, then title and surname as papers do."""
        chosen = self.rng.choice(self.people)
        if chosen in self.introduced:
            return self.rng.choice((f"{chosen.title} {chosen.surname}", chosen.surname))
        self.introduced.add(chosen)
        return chosen.full

    def organisation_reference(self) -> str:
        """Full name first, its acronym afterwards when it has one."""
        chosen = self.rng.choice(self.organisations)
        if chosen in self.named_org and chosen.acronym:
            return chosen.acronym
        self.named_org.add(chosen)
        return chosen.name

    def sentence(self) -> str:
        rng = self.rng
        org = rng.choice(self.organisations)
        foreign_place, country = rng.choice(self.foreign)
        template = rng.choice(TEMPLATES)
        values = {
            "person": self.person() if "{person}" in template else "",
            "surname": rng.choice(self.people).surname,
            "org_name": org.name,
            "acronym": org.acronym or org.name.split()[-1],
            "org_ref": self.organisation_reference() if "{org_ref}" in template else "",
            "org": org.name,
            "place": rng.choice(self.places),
            "foreign_place": foreign_place,
            "country": country,
            "topic": rng.choice((self.topic, rng.choice(TOPICS))),
            "obj": rng.choice(OBJECTS),
            "adjective": rng.choice(ADJECTIVES),
            "action": rng.choice(ACTIONS),
            "said": rng.choice(VERBS_SAID),
            "weekday": rng.choice(WEEKDAYS),
            "long_month": rng.choice(LONG_MONTHS),
            "long_date": f"{rng.choice(LONG_MONTHS)} {rng.randint(1, 28)}",
            "n": str(rng.randint(2, 95)),
            "m": f"{rng.randint(1, 480)}.{rng.randint(0, 9)}",
        }
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 4)))

    def title(self) -> str:
        subject = self.people[0]
        topic = self.topic.removeprefix("the ").title()
        return f"{subject.title} {subject.surname} {self.rng.choice(HEADLINE_VERBS)} {topic} In {self.home}"

    def dateline(self) -> str:
        place, country = (self.home, "Kenya")
        if self.rng.random() < 0.25:
            place, country = self.rng.choice(self.foreign)
        dash = self.rng.choice(("—", "–", "-"))
        date = f"{self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}"
        if self.rng.random() < 0.3:
            date += f", {self.rng.randint(2019, 2026)}"
        return f"{place.upper()}, {country}, {date} {dash} "

    def body(self) -> list[str]:
        """Paragraphs and subheadings whose words sum to a target between the limits."""
        # Skewed towards shorter pieces, as news is.
        target = round(self.rng.triangular(MIN_WORDS + 20, MAX_WORDS - 40, 450))
        blocks: list[str] = []
        words = 0
        since_heading = 0
        while True:
            paragraph = self.paragraph()
            size = len(paragraph.split())
            if words + size > target:
                if words >= MIN_WORDS:
                    break
                continue
            if since_heading >= 4 and self.rng.random() < 0.3 and words + 3 < target:
                heading = self.rng.choice(SUBHEADINGS)
                blocks.append(heading)
                words += len(heading.split())
                since_heading = 0
            blocks.append(paragraph)
            words += size
            since_heading += 1
        # A unique reference makes every article distinct even if the dice repeat.
        blocks[-1] += f" (Ref. {self.index:06d})"
        return blocks

    def write(self) -> str:
        rng = self.rng
        title = self.title()
        section = rng.choice(SECTIONS)
        body = self.body()
        body[0] = self.dateline() + body[0]
        layout = rng.random()
        header: list[str] = []
        if layout < 0.6:
            header = [f"Home » {title}", section, "", title, ""]
        elif layout < 0.9:
            header = [title, f"By {rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", ""]
        else:
            header = [f"Home » {section} » {title}", title, ""]
        separator = "\n\n" if rng.random() < 0.7 else "\n"
        footer = []
        if rng.random() < 0.8:
            footer.append("Leave a Reply")
            if rng.random() < 0.5:
                footer.append("Your email address will not be published. Required fields are marked *")
        if rng.random() < 0.6:
            footer.append(rng.choice(("Featured", "Trending", "Top Stories")))
        text = "\n".join(header) + ("\n" if separator == "\n\n" else "") + separator.join(body)
        if footer:
            text += separator + separator.join(footer)
        return text + ("\n" if rng.random() < 0.5 else "")


def article_text(seed: int, index: int) -> str:
    """The text of article `index` of the corpus with `seed`; independent of every other article."""
    return ArticleWriter(random.Random(f"synthetic:{seed}:{index}"), index).write()


def generate_corpus(out_dir: Path, count: int, seed: int = 0, start_index: int = 0) -> list[Path]:
    """Write `count` articles as `NNNNNN.txt` files into `out_dir`.

    Args:
        out_dir: folder to write into (created if missing).
        count: how many articles.
        seed: the same seed gives the same bytes; a different seed different articles.
        start_index: number of the first article, to extend an existing corpus with new ones.

    Returns:
        The paths written, in order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start_index, start_index + count):
        path = out_dir / f"{index:06d}.txt"
        path.write_bytes(article_text(seed, index).encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command line: `python tests/support/synthetic.py OUT_DIR --count N --seed S`."""
    parser = argparse.ArgumentParser(
        prog="python tests/support/synthetic.py",
        description="Write N deterministic synthetic news articles (.txt) for benchmarks.",
        epilog="Example: python tests/support/synthetic.py build/bench/raw-1000 --count 1000 --seed 0",
    )
    parser.add_argument("out_dir", type=Path, help="Folder to write the articles into.")
    parser.add_argument("--count", type=int, default=100, help="Number of articles (default: 100).")
    parser.add_argument("--seed", type=int, default=0, help="Random seed (default: 0).")
    parser.add_argument(
        "--start-index", type=int, default=0, help="Number of the first article (default: 0)."
    )
    arguments = parser.parse_args(argv)
    if arguments.count < 0 or arguments.start_index < 0:
        parser.error("--count and --start-index must not be negative")
    paths = generate_corpus(arguments.out_dir, arguments.count, arguments.seed, arguments.start_index)
    print(f"wrote {len(paths)} articles to {arguments.out_dir}")


if __name__ == "__main__":
    main()
