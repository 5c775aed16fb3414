"""Page text (`.txt`): any site's layout cleaned without losing the article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sources.bylines import is_person_name, parses_as_person
from pipeline.sources.furniture import furniture_by_site, repeated_lines, site_key
from pipeline.sources.plaintext import clean_page, clean_text

REPO = Path(__file__).resolve().parents[2]

PARAGRAPHS = [
    "The regional water board approved a plan on Tuesday to replace the ageing pipes under the old town, "
    "a project that officials say will take four years and cost more than planned.",
    "Residents have complained for years about low pressure and brown water, and the board's chair said the "
    "repairs could no longer wait, even if some streets must close for months at a time.",
    "The first works will start in the spring near the market square, where the oldest pipes were laid more "
    "than a century ago, according to the board's own survey of the network.",
    "Shop owners asked for the works to pause during the summer festival, when most of their yearly "
    "income is "
    "made, and the board agreed to consider a shorter schedule for those streets.",
]

NEWS_SITE = "\n".join(
    [
        "Water board approves pipe plan for old town | The Valley Courier",
        "Skip to content",
        "Home",
        "News",
        "Sport",
        "Business",
        "Culture",
        "Subscribe",
        "Home",
        "»",
        "News",
        "»",
        "Local",
        "Water board approves pipe plan for old town",
        "By Lena Marsh, Staff Reporter",
        "March 3, 2026 10:15 am",
        "Share on Facebook",
        "Tweet",
        "RIVERTON, Westshire — " + PARAGRAPHS[0],
        PARAGRAPHS[1],
        "Comments",
        PARAGRAPHS[2],
        "The pipes under the market square, seen in January.",
        "Photo: J. Doe / Valley Courier",
        PARAGRAPHS[3],
        "Share this article",
        "Related",
        "New bus lanes open on the ring road",
        "Council elects a new mayor",
        "School roof repairs finished early",
        "Most Popular",
        "Five walks along the river this spring",
        "The best bakeries in the valley",
        "We use cookies to improve your experience. By using this site you accept our cookie policy.",
        "© 2026 The Valley Courier. All rights reserved.",
        "Privacy Policy",
        "Contact Us",
    ]
)

BLOG = "\n".join(
    [
        "Menu",
        "About",
        "Recipes",
        "Travel",
        "Contact",
        "Notes from a small harbour",
        "Anna Pike",
        "@annapike",
        "12 May 2025",
        PARAGRAPHS[0],
        PARAGRAPHS[1],
        PARAGRAPHS[2],
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Comment",
        "Name *",
        "Email *",
        "Website",
        "Post Comment",
        "Recent Posts",
        "Why the ferry is late again",
        "A winter of storms",
    ]
)


def _maps_into_raw(article, raw: str) -> None:
    for field, runs in article.offset_map.items():
        column = getattr(article, field)
        for column_start, raw_start, length in runs:
            assert column[column_start : column_start + length] == raw[raw_start : raw_start + length]
    for piece in article.removed:
        assert raw[piece.raw_start : piece.raw_end] == piece.text
        assert piece.reason


def test_news_layout_keeps_the_article_and_removes_the_furniture() -> None:
    article = clean_text(NEWS_SITE)
    for paragraph in PARAGRAPHS[1:]:
        assert paragraph in article.body
    assert article.body.startswith(PARAGRAPHS[0])
    for junk in (
        "Skip to content",
        "Subscribe",
        "Share on Facebook",
        "Bus lanes",
        "bakeries",
        "cookies",
        "©",
    ):
        assert junk.casefold() not in article.body.casefold()
    _maps_into_raw(article, NEWS_SITE)


def test_one_comments_link_inside_the_article_drops_nothing_after_it() -> None:
    article = clean_text(NEWS_SITE)
    assert PARAGRAPHS[2] in article.body and PARAGRAPHS[3] in article.body
    assert any(piece.text == "Comments" for piece in article.removed)


def test_headline_byline_dateline_after_the_menus() -> None:
    article = clean_text(NEWS_SITE)
    assert article.title == "Water board approves pipe plan for old town"
    assert article.author == "Lena Marsh"
    assert article.dateline == "RIVERTON, Westshire"
    assert article.dateline_place == "Riverton"
    assert article.published_date == "2026-03-03"


def test_caption_and_credit_are_removed_with_their_reason() -> None:
    article = clean_text(NEWS_SITE)
    assert "seen in January" not in article.body
    reasons = {piece.text: piece.reason for piece in article.removed}
    assert reasons["Photo: J. Doe / Valley Courier"] == "photo credit"
    assert reasons["The pipes under the market square, seen in January."] == "photo caption"
    assert reasons["Related"] in ("trailing label", "list heading (related, popular, comments)")
    assert "cookie notice" in reasons.values()


def test_breadcrumb_one_item_per_line_is_removed() -> None:
    article = clean_text(NEWS_SITE)
    removed = [piece.text for piece in article.removed]
    assert "»" in removed and "Local" in removed


def test_blog_layout_name_line_and_comment_form_shape() -> None:
    article = clean_text(BLOG)
    assert article.title == "Notes from a small harbour"
    assert article.author == "Anna Pike"
    assert article.body.count("\n\n") == 2
    reasons = {piece.text: piece.reason for piece in article.removed}
    assert reasons["Leave a Reply"] == "comment form"
    assert reasons["Post Comment"] == "comment form"
    assert "Recent Posts" in reasons
    _maps_into_raw(article, BLOG)


def test_breaking_news_label_is_not_a_dateline() -> None:
    text = "\n".join(["Flood warning for the coast", "BREAKING NEWS: " + PARAGRAPHS[0], *PARAGRAPHS[1:]])
    article = clean_text(text)
    assert article.dateline is None and article.dateline_place is None
    assert article.title == "Flood warning for the coast"


def test_a_cut_that_would_remove_most_prose_is_refused_and_reported() -> None:
    # a "comment form" above most of the page's prose: cutting it would lose the article
    text = "\n".join(
        [
            PARAGRAPHS[0],
            "Leave a Reply",
            "Name",
            "Email",
            *PARAGRAPHS[1:],
            *PARAGRAPHS,
        ]
    )
    result = clean_page(text)
    assert result.refused
    assert "refused" in result.refused[0].describe()
    for paragraph in PARAGRAPHS:
        assert paragraph in result.article.body


def test_site_furniture_is_removed_with_a_reason_that_does_not_count_pages() -> None:
    pages = [
        NEWS_SITE.replace("old town", f"district {n}") + "\nNewsletter: the Courier Daily" for n in range(4)
    ]
    furniture = repeated_lines(pages, min_pages=3)
    assert furniture["newsletter: the courier daily"] == 4
    assert all(len(line) <= 300 for line in furniture)
    article = clean_text(pages[0] + "\n" + PARAGRAPHS[0][:10], furniture=furniture)
    reasons = {piece.text: piece.reason for piece in article.removed}
    # a count would change with every page the site gains, and with it every page's rows
    assert reasons["Newsletter: the Courier Daily"] == "repeated on many pages of this site"


def test_furniture_needs_enough_pages_and_groups_by_site() -> None:
    assert repeated_lines(["a\nb", "a\nc"], min_pages=3) == {}
    keys = [site_key("x/1.txt", url="https://www.example.org/a"), site_key("y/2.txt", outlet="Example")]
    assert keys == ["host:example.org", "outlet:example"]
    assert site_key("folder/3.txt") == "folder:folder"
    grouped = furniture_by_site(
        [("s", "Menu\nText one"), ("s", "Menu\nText two"), ("s", "Menu\nx"), ("t", "Menu")]
    )
    assert grouped["s"] == {"menu": 3}
    assert grouped["t"] == {}


def test_the_two_samples_keep_their_outcomes() -> None:
    first = (REPO / "raw" / "000_c56b1a229dccd951.txt").read_text(encoding="utf-8")
    article = clean_text(first)
    assert article.title is None
    assert article.dateline == "NAIROBI, Kenya, Jan 22"
    assert article.dateline_place == "Nairobi"
    assert article.body.startswith("President William Ruto’s administration")
    assert [(p.text, p.reason) for p in article.removed] == [
        ("—", "dateline separator"),
        ("Leave a Reply", "comment form"),
    ]
    second = (REPO / "raw" / "001_cbcf5bba73f6f14e.txt").read_text(encoding="utf-8")
    article = clean_text(second)
    assert article.title.startswith("Details Of President William Ruto’s Closed Door Meetings")
    assert article.section == "Governance"
    assert article.body.startswith("As political temperatures")
    assert article.body.endswith("at the courthouse.")
    assert [p.reason for p in article.removed] == [
        "breadcrumb",
        "section label (kept as section)",
        "trailing label",
    ]


# --- headlines and bylines in whole-page text (the page's <title> printed first) -----------------

MENU = [
    "Home", "News", "Local", "Region", "Politics", "Business", "Markets", "Sport", "Football",
    "Cricket", "Culture", "Music", "Film", "Books", "Food", "Travel", "Weather", "Traffic",
    "Opinion", "Letters", "Obituaries", "Jobs", "Homes", "Cars", "Puzzles", "Podcasts", "Video",
    "Photos", "Events", "Schools", "Health", "Science", "Climate", "Technology", "Money",
    "Property", "Gardening", "Pets", "Archive", "Contact", "Advertise", "Careers", "About us",
]  # fmt: skip
FOOTER = ["Privacy Policy", "Contact Us", "© 2026 The Valley Courier. All rights reserved."]


def _page(title_line: str, *opening: str, menu: list[str] = MENU) -> str:
    """A page as a scraper keeps its text: the <title> line, the menu, the opening lines, the article."""
    return "\n".join([title_line, *menu, *opening, *PARAGRAPHS, *FOOTER])


def test_headline_at_the_block_start_after_a_long_menu_is_the_title() -> None:
    # the menu is longer than the header window: the headline is the article block's first line
    text = _page(
        "Ferry timetable to be cut for the winter, operator says | The Valley Courier",
        "Ferry timetable to be cut for the winter, operator says",
    )
    article = clean_text(text)
    assert article.title == "Ferry timetable to be cut for the winter, operator says"
    assert article.body.startswith(PARAGRAPHS[0])
    reasons = {piece.text: piece.reason for piece in article.removed}
    assert reasons["Ferry timetable to be cut for the winter, operator says | The Valley Courier"]
    _maps_into_raw(article, text)


def test_a_first_sentence_repeating_the_title_words_stays_in_the_body() -> None:
    # a short page of short lines (no prose paragraph): the lede shares the headline's words
    # and once took its place (found by the idempotence property)
    lede = "The ferry timetable will be cut for the winter, officials said."
    text = "\n".join(["Ferry Timetable Cut For The Winter", lede, "Fuel costs rose. Crews are short."])
    article = clean_text(text)
    assert article.title == "Ferry Timetable Cut For The Winter"
    assert article.body.startswith(lede)
    _maps_into_raw(article, text)


def test_headline_worded_unlike_the_title_line_is_found_past_video_teasers() -> None:
    teasers = [
        "JUST WATCHED",
        "Harbour crane collapses in storm",
        "Replay",
        "More Videos ...",
        "Council debates new bridge tolls",
        "Mayor opens the winter market",
        "Bridge tolls: what drivers will pay",
        "Five bridges that changed the valley",
        "Night buses return to the old town",
        "School roof repairs finished early",
        "River walk reopens after the floods",
        "New cycle lanes on the high street",
        "Market square gets new benches",
        "Winter gritting routes announced",
    ]
    text = _page(
        "Council bridge repairs delayed again, leaving drivers angry - Valley Courier",
        "Why drivers just can't rely on the council's bridge repairs",
        "By Lena Marsh and Tom Reyes, Valley Courier",
        "Updated 0915 GMT March 3, 2026",
        *teasers,
    )
    article = clean_text(text)
    assert article.title == "Why drivers just can't rely on the council's bridge repairs"
    assert article.author == "Lena Marsh and Tom Reyes"
    for teaser in teasers[1:]:
        assert teaser not in article.body
    _maps_into_raw(article, text)


HEADLINES_AND_BYLINES = {
    "a year alone makes no date line": (
        ["Lanterns light up the water at Harbour Festival 2026 - Valley Courier",
         "Harbour Festival 2026 | Lanterns over the water", "By Ines Duarte - 2026-04-10"],
        "Harbour Festival 2026 | Lanterns over the water", "Ines Duarte",
    ),
    "a quoted last part is the headline's, not the site name": (
        ["Storm warning: ferries stay in port – ‘The sea is wild tonight’ | Weather | News | Courier.example",
         "Storm warning: ferries stay in port – ‘The sea is wild tonight’"],
        "Storm warning: ferries stay in port – ‘The sea is wild tonight’", None,
    ),
    "a short headline opening with 'The' is no name": (
        ["Council budget: the mayor races the clock | Valley Courier", "The Budget Clock", "By Victor Hale",
         "About Victor Hale"],
        "The Budget Clock", "Victor Hale",
    ),
    "a menu item 'By subject' is no byline": (
        ["Tariff guide for small exporters | Trade Desk Weekly", "By subject", "By region",
         "Tariff guide for small exporters", "By Louis Carver on Monday, March 2nd, 2026 at 11:04 a.m."],
        "Tariff guide for small exporters", "Louis Carver",
    ),
    "a name alone between the share bar and the first paragraph": (
        ["Why some bakeries last a century | Crumb & Co", "Why some bakeries last a century", "258 Shares",
         "Share", "Tweet", "Email", "Mara Ellison"],
        "Why some bakeries last a century", "Mara Ellison",
    ),
    "a name line next to a time with PM": (
        ["A valley man developed a rare cough after new pillows", "Older teaser about the river",
         "A valley man developed a rare cough after new pillows", "Edda Carr", "Monday 6:30PM"],
        "A valley man developed a rare cough after new pillows", "Edda Carr",
    ),
    "a name joined to the outlet": (
        ["Bus lanes open on the ring road | The Valley Courier", "Bus lanes open on the ring road",
         "Nora Quist | The Valley Courier"],
        "Bus lanes open on the ring road", "Nora Quist",
    ),
    "a list of names with particles": (
        ["Dunes move inland | Courier", "Dunes move inland along the coast",
         "By Ana de la Cruz and Piet van der Berg"],
        "Dunes move inland along the coast", "Ana de la Cruz and Piet van der Berg",
    ),
    "a teaser far above sharing a few title words is not the headline": (
        ["River festival returns with boats and music - Courier", "River festival boats: ten photos",
         *MENU[:20],
         "Lanterns and brass bands back on the water", "By Ruth Oduya"],
        "Lanterns and brass bands back on the water", "Ruth Oduya",
    ),
    "a 'Text:' label and a date": (
        ["Bus lanes open | Courier", "Bus lanes open on the ring road", "Text: Nora Quist · 3 March 2026"],
        "Bus lanes open on the ring road", "Nora Quist",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HEADLINES_AND_BYLINES))
def test_headline_and_byline_shapes(case: str) -> None:
    lines, title, author = HEADLINES_AND_BYLINES[case]
    text = _page(*lines)
    article = clean_text(text)
    assert (article.title, article.author) == (title, author)
    for line in lines[2:]:
        assert line in MENU or line not in article.body
    _maps_into_raw(article, text)


def test_a_desk_or_the_site_named_in_a_byline_is_no_author_and_its_removal_is_recorded() -> None:
    text = _page(
        "Road works on the ring road | The Valley Courier", "Road works on the ring road", "By Valley Courier"
    )
    article = clean_text(text)
    assert article.author is None
    reasons = {piece.text: piece.reason for piece in article.removed}
    assert "By Valley Courier" in reasons
    assert "By Valley Courier" not in article.body
    staff = clean_text(_page("Road works | Courier", "Road works on the ring road", "By Staff"))
    assert staff.author is None


def test_person_names_against_menus_desks_and_the_site() -> None:
    site = {"valley", "courier"}
    assert is_person_name("Lena Marsh", site)
    assert is_person_name("Ann Lee, Bo Tran and Cy Diaz", site)
    assert is_person_name("DANA KIRK and JO LAWS", site)
    assert not is_person_name("Valley Courier", site)
    assert not is_person_name("Staff Writer", site)
    assert not is_person_name("Newsroom Team", site)
    assert not is_person_name("Sports", site, {"sports"})
    assert not parses_as_person("The Budget Clock")


given_names = st.sampled_from(["Lena", "Tomas", "Ines", "Ruth", "Kofi", "Mara", "Piet", "Edda"])
family_names = st.sampled_from(["Marsh", "Reyes", "Duarte", "Oduya", "Quist", "Carr", "Hale", "Berg"])
person = st.tuples(given_names, family_names).map(" ".join)


@given(
    st.lists(person, min_size=1, max_size=3, unique=True),
    st.sampled_from(["", ", Staff Reporter", " on Monday"]),
)
@settings(max_examples=60, deadline=None)
def test_a_byline_keeps_every_person_it_lists_and_nothing_after(people: list[str], tail: str) -> None:
    names = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    headline = "Ferry timetable to be cut for the winter"
    text = _page(f"{headline} | Courier", headline, f"By {names}{tail}")
    article = clean_text(text)
    assert article.author == names
    assert f"By {names}" not in article.body
    _maps_into_raw(article, text)
