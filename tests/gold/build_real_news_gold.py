"""Rebuild ``tests/gold/real_news.jsonl`` and ``tests/gold/kenya.jsonl``.

Two hand-annotated gold sets of OntoNotes *name* entities:

* ``real_news.jsonl``: the ``articleBody`` of English pages in the shared
  ``real-pages-dev`` folder (``ground-truth.json``). The article text is NOT
  stored in this repository (it belongs to its publishers): each record holds
  only the page id, the sha256 of the body and the spans, whose ``text`` is the
  entity's surface form only.
* ``kenya.jsonl``: the invented Kenyan political articles in ``tests/gold/kenya/``
  (written for this gold set; whole file text, read with
  ``open(path, encoding="utf-8", newline="")``).

Spans are listed per document, in reading order, one ``surface LABEL`` per line
(the label is the last word of the line; ``#`` starts a comment line). Each
surface is resolved to the first whole-word occurrence at or after the end of
the previous span. The script then fails if any whole-word occurrence of an
annotated surface form lies outside every span, unless it is listed in
``EXCEPTIONS`` with a reason.

Run from the repository root::

    .venv/bin/python tests/gold/build_real_news_gold.py           # write both files
    .venv/bin/python tests/gold/build_real_news_gold.py --render ID_OR_FILE
                                                  # print a document with [spans|LABEL]

The shared folder is ``<repo>/../shared/real-pages-dev`` (overridable with the
``REAL_PAGES_DEV`` environment variable). The guide is ``tests/gold/GUIDE.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KENYA_DIR = HERE / "kenya"
REAL_OUT = HERE / "real_news.jsonl"
KENYA_OUT = HERE / "kenya.jsonl"

LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)


def shared_dir() -> Path:
    """The real-pages-dev folder: $REAL_PAGES_DEV or <repo>/../shared/real-pages-dev."""
    override = os.environ.get("REAL_PAGES_DEV")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "real-pages-dev"


# ---------------------------------------------------------------------------
# Real pages: page id -> spans in reading order.
# ---------------------------------------------------------------------------

REAL: dict[str, str] = {}

# VentureBeat (Reuters): New York attorney general investigates WeWork (business).
REAL["06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85"] = """
Reuters ORG
# The office acting as an agency ("is investigating"), abbreviated NYAG: ORG.
New York State Attorney General ORG
NYAG ORG
WeWork ORG
# Wall Street as the financial industry ("a Wall Street darling"): ORG.
Wall Street ORG
NYAG ORG
Letitia James PERSON
New York State Attorney General ORG
WeWork ORG
Reuters ORG
NYAG ORG
NYAG ORG
WeWork ORG
Adam Neumann PERSON
Neumann PERSON
WeWork ORG
WeWork ORG
# "The We Company": the leading "The" is left out, as always.
We Company ORG
Neumann PERSON
Neumann PERSON
WeWork ORG
Japanese NORP
SoftBank Group Corp ORG
SoftBank ORG
WeWork ORG
Neumann PERSON
WeWork ORG
WeWork ORG
We Company ORG
Marcelo Claure PERSON
Reuters ORG
New York Times ORG
WeWork ORG
Claure PERSON
WeWork ORG
Claure PERSON
SoftBank ORG
WeWork ORG
WeWork ORG
NYAG ORG
Bloomberg News ORG
WeWork ORG
U.S. Securities and Exchange Commission ORG
WeWork ORG
WeWork ORG
MarketAxess ORG
"""

# CBS Sports: Browns-Steelers fight (sport). City names standing for teams are ORG.
REAL["08f793762792bd252c75fb57544cdf506ffcc04785136cb87503f02364b82b56"] = """
Steelers ORG
Browns ORG
Myles Garrett PERSON
Pittsburgh ORG
Maurkice Pouncey PERSON
Cleveland ORG
Larry Ogunjobi PERSON
Pittsburgh ORG
Mason Rudolph PERSON
Browns ORG
Sheldon Richardson PERSON
Rudolph PERSON
Rudolph PERSON
Garrett PERSON
Garrett PERSON
Rudolph PERSON
Rudolph PERSON
Richardson PERSON
USA Today ORG
Rudolph PERSON
CBS Sports ORG
# "NFL Insider" is a job title; the league inside it is a name.
NFL ORG
Jason La Canfora PERSON
NFL ORG
Rudolph PERSON
Rudolph PERSON
Rudolph PERSON
Garrett PERSON
Rudolph PERSON
Garrett PERSON
Garrett PERSON
Rudolph PERSON
Rudolph PERSON
Rudolph PERSON
Garrett PERSON
Rudolph PERSON
Trey Edmunds PERSON
Richardson PERSON
Rudolph PERSON
Steelers ORG
Cam Heyward PERSON
Garrett PERSON
Garrett PERSON
Heyward PERSON
Steelers ORG
Heyward PERSON
Brian Batko PERSON
Pittsburgh Post-Gazette ORG
Steelers ORG
Browns ORG
NFL ORG
# "rematch in Pittsburgh": the city this time.
Pittsburgh GPE
Heyward PERSON
Browns ORG
Heyward PERSON
Heinz Field FAC
# "our focus has got to be on Cincinnati": the next opponent, a team.
Cincinnati ORG
"""

# The Paradigm (Nigeria): Senate adjourns (politics). Twitter handles and hashtags
# (@NGRSenate, #TodayInSenatePlenary) are not annotated.
REAL["0dd1357045727799a447563fd8851f4ebe79f042073ea16991a9b67aa595f81a"] = """
Yobe North GPE
Ahmad Lawan PERSON
Senate ORG
House of Representatives ORG
Benjamin Nzeribe PERSON
Funke Adedoyin PERSON
Lawan PERSON
Senate ORG
Bukola Saraki PERSON
Senate ORG
National Assembly ORG
Senate ORG
Twitter ORG
Senate ORG
Senate ORG
Nigerian Senate ORG
Senate ORG
Ahmad Lawan PERSON
House of Representatives ORG
# "Rt. Hon." is an honorific, left out.
B. U. Nzeribe PERSON
Funke Adedoyin PERSON
Nigerian Senate ORG
"""

# MacRumors: 13-inch MacBook Pro (tech).
REAL["232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf"] = """
MacBook Pro PRODUCT
Apple ORG
MacBook Pro PRODUCT
Taiwanese NORP
DigiTimes ORG
DigiTimes ORG
Wistron ORG
Global Lighting Technologies ORG
MacBook Pro PRODUCT
Magic Keyboard PRODUCT
iMac PRODUCT
MacBook PRODUCT
MacBook Pro PRODUCT
MacBook Pro PRODUCT
Apple ORG
Ming-Chi Kuo PERSON
Apple ORG
MacBook Pro PRODUCT
MacBook Air PRODUCT
Apple ORG
Apple ORG
MacBook Pro PRODUCT
"""

# Reuters via ScienceAlert: geological map of Titan (science). Planets, moons and
# the Solar System are LOC; spacecraft (Cassini, Dragonfly) are PRODUCT.
REAL["359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea"] = """
WASHINGTON GPE
Reuters ORG
Saturn LOC
Titan LOC
Earth LOC
NASA ORG
Cassini PRODUCT
Saturn LOC
Titan LOC
Solar System LOC
Jupiter LOC
Ganymede LOC
Mercury LOC
Titan LOC
Titan LOC
Titan LOC
Rosaly Lopes PERSON
NASA ORG
Jet Propulsion Laboratory ORG
California GPE
Lopes PERSON
Nature Astronomy ORG
Earth LOC
Titan LOC
Earth LOC
Titan LOC
Anezina Solomonidou PERSON
European Space Agency ORG
Titan LOC
Titan LOC
Solar System LOC
Earth LOC
Titan LOC
JPL ORG
Michael Malaska PERSON
Earth LOC
Malaska PERSON
Titan LOC
US GPE
Dragonfly PRODUCT
Titan LOC
Dragonfly PRODUCT
Titan LOC
Titan LOC
Lopes PERSON
Will Dunham PERSON
Tom Brown PERSON
Reuters ORG
"""

# CNBC: Emirates orders Boeing 787s (business). Aircraft models are PRODUCT.
REAL["374ac9a59a85196cdacc1679fb8993521a7b7d9d6533720f102300be1c7face4"] = """
DUBAI GPE
United Arab Emirates GPE
Dubai GPE
Emirates Airline ORG
Boeing ORG
787-9 Dreamliner PRODUCT
Dubai Air Show EVENT
777x PRODUCT
U.S. GPE
Emirates ORG
777 PRODUCT
787-9 PRODUCT
Boeing ORG
Dreamliner PRODUCT
American NORP
737 Max PRODUCT
737 Max PRODUCT
787 Dreamliner PRODUCT
Biman Bangladesh Airlines ORG
Ghanaian NORP
Boeing ORG
737 Max PRODUCT
Turkish NORP
SunExpress ORG
Kazakhstan GPE
Air Astana ORG
Emirates ORG
Tim Clark PERSON
Clark PERSON
Emirates ORG
Emirates ORG
Boeing ORG
# "Airbus A350-900 jets": maker ORG, model PRODUCT (as "Boeing 's 787-9").
Airbus ORG
A350-900 PRODUCT
A350 PRODUCT
A330neo PRODUCT
French NORP
A350 PRODUCT
Emirates ORG
Airbus ORG
A380 PRODUCT
French NORP
"""

# Catch It Kansas: state swim results (local sport). High schools are ORG.
REAL["3ce1c8fdf6ad2ded9e48a68be71eb069fc453ef1b75f47698428a1fdda0deb24"] = """
Salina South ORG
Keetan Munsell PERSON
Trinity Academy ORG
Ben Patton PERSON
Patton PERSON
Wichita Heights ORG
Aidan Gantenbein PERSON
Wichita North ORG
Miguel Bernal PERSON
Redskins ORG
Wichita West ORG
David Garcia PERSON
Wichita East ORG
Hugh McPherson PERSON
"""

# NBC DFW: rescue of a kidnapped girl (local news). The body keeps the site's
# related-story headlines; names in them are annotated like any other.
REAL["51d066b0602c9421d8d6410bc4b931700978409a3faa2a984e8fbde519ad7241"] = """
Fort Worth GPE
Michael Webb PERSON
Fort Worth GPE
Texas GPE
Forest Hill GPE
Webb PERSON
Dallas GPE
# The police department, abbreviated; the abbreviation's full stop is kept.
Fort Worth P.D. ORG
Fort Worth GPE
NBC 5 ORG
North Richland Hills GPE
Webb PERSON
Plano GPE
Fitzgerald PERSON
Fort Worth GPE
Webb PERSON
# Southwest Airlines' ticker-style abbreviation.
SWA ORG
Forest Hill GPE
Webb PERSON
Webb PERSON
"""

# NBC News: Hitler's birth house to become a police station (world).
REAL["5a822960e9a2cb1e664d334b6c936c5cb6e41fb5331877538c2c8339cb59d57e"] = """
VIENNA GPE
Adolf Hitler PERSON
Austria GPE
neo-Nazis NORP
Braunau am Inn GPE
Germany GPE
Austria GPE
Interior Ministry ORG
# A political movement (the Nazi party's ideology and regime): NORP.
National Socialism NORP
Wolfgang Peschorn PERSON
European Union ORG
Interior Ministry ORG
Hitler PERSON
Braunau GPE
Austria GPE
National Socialism NORP
Hitler PERSON
Germany GPE
Austrians NORP
Nazi NORP
Hitler PERSON
"""

# Express: Hong Kong protests (politics).
REAL["624fcd903d56fc7055fa7097b330629450c095ad6937318deb027be7803bbf35"] = """
Polytechnic University ORG
Hong Kong GPE
Beijing GPE
China GPE
Britain GPE
UK GPE
US GPE
Chinese NORP
Hong Kong GPE
Cheuk Hau-yip PERSON
Kowloon West GPE
China GPE
Britain GPE
# Spelled "Liu Xiaming" by the page (the ambassador is Liu Xiaoming); as printed.
Liu Xiaming PERSON
China GPE
Hong Kong GPE
Liu PERSON
People’s Liberation Army ORG
Beijing GPE
Hong Kong GPE
China GPE
Hong Kong GPE
Hong Kong GPE
Chris Tang PERSON
Hong Kong GPE
Hong Kong GPE
Beijing GPE
China GPE
Hong Kong GPE
UK GPE
China GPE
Hong Kong GPE
China GPE
Hong Kong GPE
UK GPE
"""

# Space.com: water vapour on Europa (science).
REAL["686bb170effe273eaff1c0f88e412172e8d972518a6d1454c896f52aafaa9643"] = """
Jupiter LOC
Europa LOC
NASA ORG
Hubble Space Telescope PRODUCT
Europa LOC
Earth LOC
Lucas Paganini PERSON
NASA ORG
Goddard Space Flight Center ORG
Greenbelt GPE
Maryland GPE
American University ORG
# One span: the city with its district, the abbreviation's final stop kept.
Washington, D.C. GPE
Paganini PERSON
Paganini PERSON
W.M. Keck Observatory FAC
Hawaii GPE
Europa LOC
Europa LOC
Europa LOC
Europa LOC
Jupiter LOC
Paganini PERSON
Nature Astronomy ORG
Europa LOC
Hubble PRODUCT
NASA ORG
Galileo PRODUCT
Jupiter LOC
Europa LOC
Europa LOC
Saturn LOC
Enceladus LOC
Europa LOC
Paganini PERSON
Enceladus LOC
Europa LOC
NASA ORG
NASA ORG
Europa Clipper PRODUCT
Clipper PRODUCT
Jupiter LOC
Europa LOC
Clipper PRODUCT
All About Space ORG
"""

# NBC News: man pleads guilty to threatening Rep. Ilhan Omar (politics, courts).
# "D-Minn." / "R-W.Va." style tags: the party letter is not annotated, the state
# abbreviation is a GPE (full stop kept).
REAL["7a457a4f71735c17b8b34fafc88835d225cf879b2d812311857a64cfc891eee9"] = """
New York GPE
U.S. GPE
Ilhan Omar PERSON
Minn. GPE
Patrick W. Carlineo Jr. PERSON
Addison GPE
Ithaca GPE
United States GPE
U.S. Attorney’s Office for the Western District of New York ORG
Carlineo PERSON
Omar PERSON
Muslim Brotherhood ORG
Omar PERSON
Omar PERSON
Muslim NORP
Congress ORG
U.S. GPE
Carlineo PERSON
Sonya Zoghlin PERSON
Associated Press ORG
Carlineo PERSON
Omar PERSON
Zoghlin PERSON
Carlineo PERSON
James P. Kennedy Jr. PERSON
U.S. GPE
Western District of New York GPE
First Amendment LAW
Kennedy PERSON
Second Amendment LAW
"""

# Gizmodo: "feather duvet lung" (health). Hospitals are FAC.
REAL["7bb1ca90354313840329d2f569ea9fb3a582df2aa0a5e3669f8fc567eb6ea61b"] = """
UK GPE
BMJ Case Reports ORG
Owen Dempsey PERSON
Aberdeen Royal Infirmary FAC
Donald Trump PERSON
Barack Obama PERSON
Dempsey PERSON
Dempsey PERSON
Donald Trump PERSON
Barack Obama PERSON
Dempsey PERSON
Gizmodo ORG
Gizmodo ORG
Dempsey PERSON
Dempsey PERSON
Dempsey PERSON
Dempsey PERSON
"""

# CBS Sports: Euro 2020 qualifying (sport). A country's name used for its national
# team ("Wales beat Hungary", "Path A: Iceland, ...") is ORG, like "Cleveland" for the
# Browns; "held across Europe" and "in Istanbul" are places.
REAL["9a440270bf8625d586039dfae1b8df409b467524e075124cd7a5424a5806901b"] = """
Euro 2020 EVENT
Europe LOC
Wales ORG
Hungary ORG
Aaron Ramsey PERSON
Ryan Giggs PERSON
Euro 2020 EVENT
UEFA Nations League EVENT
UEFA ORG
Iceland ORG
Bulgaria ORG
Israel ORG
Hungary ORG
Romania ORG
Bosnia and Herzegovina ORG
Slovakia ORG
Republic of Ireland ORG
Northern Ireland ORG
Scotland ORG
Norway ORG
Serbia ORG
Bulgaria ORG
Israel ORG
Hungary ORG
Romania ORG
Georgia ORG
North Macedonia ORG
Kosovo ORG
Belarus ORG
Bulgaria ORG
Israel ORG
Hungary ORG
Romania ORG
Switzerland ORG
Denmark ORG
Denmark ORG
Ireland ORG
Switzerland ORG
Gibraltar ORG
Portugal ORG
Bruno Fernandes PERSON
Cristiano Ronaldo PERSON
Portugal ORG
Croatia ORG
Germany ORG
Netherlands ORG
Austria ORG
Croatia ORG
Slovakia ORG
Germany ORG
Belarus ORG
Netherlands ORG
Northern Ireland ORG
Austria ORG
North Macedonia ORG
Finland ORG
Sweden ORG
Finland ORG
Liechtenstein ORG
Sweden ORG
Romania ORG
Turkey ORG
Iceland ORG
Istanbul GPE
France ORG
World Cup EVENT
England ORG
Czech Republic ORG
Ukraine ORG
Spain ORG
Sweden ORG
Poland ORG
France ORG
Turkey ORG
Belgium ORG
Russia ORG
Italy ORG
Finland ORG
Croatia ORG
Austria ORG
Netherlands ORG
Germany ORG
Switzerland ORG
Denmark ORG
Portugal ORG
Wales ORG
"""

# PolitiFact: drug seizures at the border (politics, fact-check).
REAL["9e8c9f082a8d77c58c17bda03b6b4bb6a1d6883fe196c252db4ca83b9991e0d3"] = """
David McKinley PERSON
W.Va. GPE
U.S. GPE
Mexico GPE
McAllen GPE
Texas GPE
United States GPE
McKinley PERSON
Intelligencer ORG
Wheeling News-Register ORG
McKinley PERSON
McKinley PERSON
McKinley PERSON
PolitiFact ORG
Customs and Border Protection ORG
Customs and Border Protection ORG
Drug Enforcement Administration ORG
University of Colorado ORG
Orange County GPE
Calif. GPE
McKinley PERSON
Bruce Bagley PERSON
University of Miami ORG
Colorado GPE
McKinley PERSON
U.S. GPE
Mexican NORP
Canadian NORP
DEA ORG
Mexico GPE
United States GPE
Mexico GPE
United States GPE
McKinley PERSON
McKinley PERSON
"""

# 9to5Mac: deals (tech, shopping). Maker before a model is ORG + PRODUCT
# ("Apple iPad Pro" -> Apple ORG, iPad Pro PRODUCT). Assistants and platforms
# (Siri, Alexa, Google Assistant, HomeKit) are PRODUCT. Display and feature
# names (Retina, Liquid Retina, ProMotion, True Tone, Face ID) and standards
# (USB-C, Bluetooth) are not annotated. Links and @handles are not annotated.
REAL["ad826691a8a2f9c4ce50cf0b885af933c4b5119c1f6235cd7df1dfb83f255bcc"] = """
MacBook PRODUCT
Amazon ORG
AirPods 2 PRODUCT
Black Friday EVENT
ecobee ORG
9to5Toys ORG
Amazon ORG
MacBook PRODUCT
Amazon ORG
Apple ORG
MacBook PRODUCT
Apple ORG
MacBook PRODUCT
Apple ORG
AirPods 2 PRODUCT
Rakuten ORG
Apple ORG
AirPods PRODUCT
AirPods PRODUCT
Siri PRODUCT
Apple ORG
H1 PRODUCT
Black Friday EVENT
ecobee ORG
Black Friday EVENT
ecobee ORG
SmartThermostat with Voice Control PRODUCT
Amazon ORG
Amazon ORG
Prime Day 2019 EVENT
ecobee ORG
HomeKit PRODUCT
Siri PRODUCT
Alexa PRODUCT
Google Assistant PRODUCT
Apple ORG
iPad Pro PRODUCT
Electronic Express ORG
Rakuten ORG
Apple ORG
iPad Pro PRODUCT
Amazon ORG
Amazon ORG
Apple ORG
iPad Pro PRODUCT
Eve Door & Window PRODUCT
Siri PRODUCT
Amazon ORG
Eve Door & Window HomeKit Entry Sensor PRODUCT
Amazon ORG
Eve ORG
HomeKit PRODUCT
Siri PRODUCT
Door & Window PRODUCT
9to5Mac ORG
BundleHunt ORG
9to5Mac.com ORG
FTC ORG
"""

# pv magazine: South Korea's solar roadmap (business, energy). Named government
# plans and programmes are LAW, as in tests/gold/README.md.
REAL["b0cf2bbf0192315eec95ede9c59bbf4ae58699275739d590edc24b012e3e8800"] = """
South Korea GPE
Ministry of Trade, Industry and Energy ORG
MOTIE ORG
Fourth Energy Technology Development Plan and Roadmap LAW
Korean NORP
MOTIE ORG
SunShot Initiative LAW
U.S. GPE
Department of Energy ORG
South Korean NORP
Seoul GPE
MOTIE ORG
International Energy Agency ORG
Photovoltaic Power Systems Program ORG
South Korean NORP
Hanwha Q Cells ORG
LG Electronics ORG
Beijing GPE
Korean NORP
South Korea GPE
OCI Group ORG
Hanwha Q Cells ORG
Hanwha Group ORG
Chinese NORP
South Korea GPE
MOTIE ORG
Seoul GPE
Saemangeum LOC
Moon Jae-in PERSON
"""

# Express: plague cases in China (health, world). The species name Yersinia
# pestis is not a name type; lower-case "black death" is not annotated.
REAL["ba4dfe2d3e817ff7b8b01172ccc307850fc5469bcdd26c3c48ca046cb88ab7cf"] = """
China GPE
Inner Mongolia GPE
Beijing GPE
Fan Mengguang PERSON
Inner Mongolia GPE
Beijing GPE
AFP ORG
Weibo ORG
China GPE
Twitter ORG
Beijing GPE
Black Death EVENT
Mediterranean LOC
Europe LOC
Europe LOC
Centre for Disease Control ORG
CDC ORG
US GPE
CDC ORG
Democratic Republic of Congo GPE
DRC GPE
Madagascar GPE
Peru GPE
US GPE
"""

# AP via CBS Detroit: sixth death from Eastern equine encephalitis (local, health).
# The disease name is not a name type.
REAL["c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829"] = """
ST. JOSEPH GPE
Mich. GPE
AP ORG
Michigan GPE
Berrien County Health Department ORG
West Michigan LOC
Barry GPE
Berrien GPE
Calhoun GPE
Cass GPE
Kalamazoo GPE
Van Buren GPE
Joneigh Khaldun PERSON
Michigan Department of Health and Human Services ORG
Associated Press ORG
"""

# BBC: Sweden drops the Assange investigation (world, courts). Prisons and courts
# are FAC ("Belmarsh prison" -> Belmarsh; "HMP Belmarsh" whole).
REAL["c7e39ac49fa1235f5d50f83bf2444248bd3aa4e6df044377916c812dd109ba23"] = """
Sweden GPE
Wikileaks ORG
Julian Assange PERSON
Assange PERSON
Sweden GPE
Ecuadorean NORP
London GPE
Australian NORP
Belmarsh FAC
London GPE
Julian Assange PERSON
Swedish NORP
US GPE
Assange PERSON
UK GPE
Wikileaks ORG
Eva-Marie Persson PERSON
Julian Assange PERSON
Swedish Prosecution Authority ORG
Persson PERSON
Caroline Hawley PERSON
BBC ORG
Julian Assange PERSON
Sweden GPE
United States GPE
Wikileaks ORG
Sweden GPE
US GPE
Ecuadorean NORP
London GPE
British NORP
Assange PERSON
US GPE
Belmarsh FAC
Assange PERSON
Swedish NORP
US GPE
Swedish NORP
Assange PERSON
Wikileaks ORG
Stockholm GPE
Assange PERSON
Wikileaks ORG
Swedish NORP
Wikileaks ORG
Kristinn Hrafnsson PERSON
Assange PERSON
United States GPE
First Amendment LAW
Assange PERSON
US GPE
Australian NORP
Assange PERSON
US GPE
Assange PERSON
US GPE
UK GPE
Sajid Javid PERSON
US GPE
Assange PERSON
HMP Belmarsh FAC
Assange PERSON
Assange PERSON
Westminster Magistrate's Court FAC
London GPE
"""

# CNN Business: Asian markets and US-China trade talks (business). Stock indexes
# and their tickers are ORG, as in OntoNotes.
REAL["d605bdef2cde7308a9f2fbd1484d4a9c3da0167177245d346da61e455f42208d"] = """
Hong Kong GPE
CNN Business ORG
US GPE
China GPE
Asian NORP
CNBC ORG
Beijing GPE
Donald Trump PERSON
China GPE
Japan GPE
Nikkei 225 ORG
N225 ORG
South Korea GPE
Kospi Index ORG
KOSPI ORG
China GPE
Shanghai Composite ORG
SHCOMP ORG
Hong Kong GPE
Hang Seng Index ORG
HSI ORG
Hong Kong GPE
Asia LOC
Hong Kong GPE
Jeffrey Halley PERSON
Oanda ORG
US GPE
Asian NORP
US GPE
China GPE
Trump PERSON
Chinese NORP
Xi Jinping PERSON
US GPE
American NORP
Huawei ORG
Chinese NORP
"""

# Al Bawaba: Sweden drops the Assange investigation (world), a second telling of
# the BBC story. "the Ecuadorean Embassy" (capitalised) is a FAC name here, where
# the BBC's lower-case "the Ecuadorean embassy" gives only the NORP.
REAL["dc7ccccc1f34eb2928cb238739aaf18c712d59d8d34b41acfb29178aeba65356"] = """
Sweden GPE
WikiLeaks ORG
Julian Assange PERSON
Sweden GPE
Eva-Marie Persson PERSON
Persson PERSON
Sweden GPE
Assange PERSON
United States GPE
WikiLeaks ORG
Sweden GPE
Assange PERSON
Swedish NORP
Australian NORP
London GPE
Swedish NORP
Ecuadorean Embassy FAC
London GPE
UK GPE
Quito GPE
Swedish NORP
Assange PERSON
UK GPE
Assange PERSON
Britain GPE
US GPE
UK GPE
Assange PERSON
US Justice Department ORG
Assange PERSON
Afghanistan GPE
Iraq GPE
US GPE
"""

# Washington Examiner: opinion on Beijing and Hong Kong (politics, opinion).
# "Western" (interests, monitoring) is NORP; "the West" is LOC.
REAL["e4c6a3b482403a8f60190ba27248cd52b250b86f5d4a8a10edcf7062c64fc3f5"] = """
Hong Kong GPE
Xi Jinping PERSON
China GPE
Peoples Liberation Army ORG
British NORP
Xi PERSON
Hong Kong GPE
Chinese Ministry of State Security ORG
Hong Kong GPE
Xi PERSON
Chinese Communist Party ORG
Xi PERSON
China GPE
Xi PERSON
Standing Committee ORG
Hong Kong GPE
China GPE
Western NORP
Emmanuel Macron PERSON
NBA ORG
Beijing GPE
Xi PERSON
Communist Party ORG
Beijing GPE
Hong Kong GPE
Carrie Lam PERSON
Beijing GPE
Western NORP
Beijing GPE
Beijing GPE
Lam PERSON
Beijing GPE
Communist Party ORG
Hong Kong GPE
Xi PERSON
Communist Party ORG
West LOC
Standing Committee ORG
American NORP
Xi PERSON
Hong Kong GPE
Chinese NORP
Hong Kong GPE
Xi PERSON
Hong Kong GPE
"""

# AP: Conservatives rename a Twitter account during a debate (UK politics).
# The two names of the party press office's account ("factcheckUK", "CCHQ Press")
# are ORG; Brexit is EVENT; "Liberal Democrat" as a party adjective is NORP.
REAL["e7994d5500875202d93e736e8f0c8a0436107d10add94ce3789001b8c5c32358"] = """
LONDON GPE
AP ORG
Britain GPE
Conservative Party ORG
Twitter ORG
factcheckUK ORG
Boris Johnson PERSON
Labour Party ORG
Jeremy Corbyn PERSON
Johnson PERSON
CCHQ Press ORG
Will Moy PERSON
London GPE
Full Fact ORG
BBC ORG
Dominic Raab PERSON
Twitter ORG
Conservatives ORG
Raab PERSON
BBC ORG
Twitter ORG
U.K. GPE
Britain GPE
Electoral Commission ORG
Conservative Party ORG
Keir Starmer PERSON
Labour Party ORG
Starmer PERSON
Brexit EVENT
Conservative Party ORG
Johnson PERSON
Corbyn PERSON
Brexit EVENT
Johnson PERSON
Corbyn PERSON
Brexit EVENT
Johnson PERSON
Britain GPE
EU ORG
Corbyn PERSON
Brexit EVENT
British NORP
Liberal Democrat NORP
Nick Clegg PERSON
Conservatives ORG
Clegg PERSON
Facebook ORG
"""

# Times Union (AP): NHL round-up (sport). City and state names standing for teams
# ("Minnesota beat Buffalo") are ORG; "New Jersey native", "St. Louis native" and
# "in New York against the Rangers" are places (GPE).
REAL["ecb46e3e489d2aac92b2563112e1801077b4219a6db9751f18e228bcaf457802"] = """
Pittsburgh GPE
Brock Nelson PERSON
New York Islanders ORG
Pittsburgh Penguins ORG
Islanders ORG
Josh Bailey PERSON
Ryan Pulock PERSON
Nelson PERSON
Matt Murray PERSON
Nelson PERSON
Anthony Beauvillier PERSON
Islanders ORG
Semyon Varlamov PERSON
New York ORG
Wild ORG
Sabres ORG
Zach Parise PERSON
Alex Stalock PERSON
Minnesota ORG
Buffalo ORG
Jason Zucker PERSON
Jonas Brodin PERSON
Wild ORG
Brandon Montour PERSON
Sabres ORG
Linus Ullmark PERSON
Buffalo ORG
Bruins ORG
Devils ORG
David Pastrnak PERSON
Matt Grzelcyk PERSON
Brad Marchand PERSON
Boston ORG
Tuukka Rask PERSON
New Jersey GPE
Connor Clifton PERSON
Bruins ORG
Devils ORG
Blake Coleman PERSON
New Jersey ORG
Panthers ORG
Flyers ORG
Aleksander Barkov PERSON
Brett Connolly PERSON
Florida ORG
Jonathan Huberdeau PERSON
Colton Sceviour PERSON
Mike Hoffman PERSON
Evgenii Dadonov PERSON
Sergei Bobrovsky PERSON
Panthers ORG
Blue Jackets ORG
Canadiens ORG
Pierre-Luc Dubois PERSON
Emil Bemstrom PERSON
Columbus ORG
Montreal ORG
Joonas Korpisalo PERSON
Columbus ORG
Eric Robinson PERSON
Boone Jenner PERSON
Blue Jackets ORG
Artturi Lehkonen PERSON
Joel Armia PERSON
Canadiens ORG
Senators ORG
Red Wings ORG
Anthony Duclair PERSON
Ottawa ORG
Detroit ORG
John Gabriel Pageau PERSON
Brady Tkachuk PERSON
Ottawa ORG
Anders Nilsson PERSON
Senators ORG
Valtteri Filppula PERSON
Robby Fabbri PERSON
Anthony Mantha PERSON
Detroit ORG
Jets ORG
Predators ORG
Patrik Laine PERSON
Nikolaj Ehlers PERSON
Connor Hellebuyck PERSON
Winnipeg ORG
Nashville ORG
Central Division ORG
Winnipeg ORG
Predators ORG
Blues ORG
Lightning ORG
Oskar Sundqvist PERSON
David Perron PERSON
St. Louis ORG
Tampa Bay ORG
Pat Maroon PERSON
Stanley Cup EVENT
Maroon PERSON
St. Louis GPE
Lightning ORG
Hurricanes ORG
Blackhawks ORG
Nino Niederreiter PERSON
Carolina ORG
Chicago ORG
Garnet Hathaway PERSON
Capitals ORG
NHL ORG
Hathaway PERSON
Anaheim ORG
Erik Gudbranson PERSON
Capitals ORG
NHL ORG
Capitals ORG
Hathaway PERSON
New York GPE
Rangers ORG
"""

# Barron's: Home Depot earnings (business). Tickers in parentheses are ORG.
# "Lowe’s" is the company's name: its ’s is not a possessive (allow-listed in the
# test). "One Home Depot", the company's named investment plan, is LAW like the
# other named plans.
REAL["f8ff621a0b9b7646cc0d57d37416feabba2bf78ef5dd0bfc5b080f9f97bbe584"] = """
Home Depot ORG
Wall Street ORG
Home Depot ORG
HD ORG
Wall Street ORG
One Home Depot LAW
Craig Menear PERSON
One Home Depot LAW
Jefferies ORG
Jonathan Matuszewski PERSON
Matuszewski PERSON
Wells Fargo ORG
Zachary Fadem PERSON
Canada GPE
Fadem PERSON
Lowe’s ORG
LOW ORG
Lowe’s ORG
Home Depot ORG
Home Depot ORG
Dow Jones Industrial Average ORG
S&P 500 ORG
"""

# CNBC: Coty and Kylie Jenner (business). The TV programme is WORK_OF_ART.
REAL["ffc109d474fdee1a59fa554df8b09643f4a7d45b23eceabad66f0712c3f7daed"] = """
Coty ORG
Kylie Jenner PERSON
Matt Maley PERSON
Miller Tabak ORG
Maley PERSON
CNBC ORG
Trading Nation WORK_OF_ART
Maley PERSON
Coty ORG
Kylie Jenner PERSON
John Petrides PERSON
Tocqueville Asset Management ORG
Kylie Jenner PERSON
Petrides PERSON
Coty ORG
Jenner PERSON
Jenner PERSON
Ulta Beauty ORG
Ulta ORG
Petrides PERSON
"""

# Inexhibit: a light installation at Milan design week (culture, design). The
# event is printed "Milan Design Meek" (sic) and annotated as printed; the year
# before it is not part of the name. Streets are FAC. The chandelier collection
# "Arrangements" is PRODUCT, the app "Make your Arrangements" too.
REAL["94fbcc26772088646cb977cecf1abc4012847a1f6927d09505cbf0c3d417ba07"] = """
Milan Design Meek EVENT
Flos Showroom FAC
Corso Monforte FAC
Michael Anastassiades PERSON
London GPE
Cyprus GPE
Flos ORG
Jewels after Jewels after Jewels WORK_OF_ART
Arrangements PRODUCT
Michael Anastassiades PERSON
Arrangements PRODUCT
Make your Arrangements PRODUCT
Michael Anastassiades PERSON
Jewels after Jewels after Jewels WORK_OF_ART
Flos Showroom FAC
corso Monforte FAC
Milan GPE
"""

# ---------------------------------------------------------------------------
# Invented Kenyan articles (tests/gold/kenya/): file name -> spans in reading
# order over the whole file (breadcrumb, title, byline, body, form, tags).
# ---------------------------------------------------------------------------

KENYA: dict[str, str] = {}

KENYA["01_finance_bill_2025.txt"] = """
# Breadcrumb and title.
Finance Bill 2025 LAW
Mbadi PERSON
Finance Bill 2025 LAW
Mbadi PERSON
# Byline.
Mercy Achieng PERSON
# Job title "Treasury Cabinet Secretary" is left out.
NAIROBI GPE
Kenya GPE
John Mbadi PERSON
Finance Bill 2025 LAW
# "the National Assembly’s Departmental Committee ...": possessor and possessed.
National Assembly ORG
Departmental Committee on Finance and National Planning ORG
Kenyans NORP
Mbadi PERSON
Molo GPE
Kuria Kimani PERSON
Kenyans NORP
Mbadi PERSON
Cabinet ORG
National Treasury ORG
Kenya Revenue Authority ORG
KRA ORG
KRA ORG
Humphrey Wattanga PERSON
Kimani PERSON
Kenya Kwanza ORG
Finance Bill 2024 LAW
Kenyans NORP
Junet Mohamed PERSON
Orange Democratic Movement ORG
ODM ORG
ODM ORG
Mohamed PERSON
Busia GPE
Okiya Omtatah PERSON
High Court ORG
Tax Procedures Act LAW
Constitution LAW
Parliament ORG
Omtatah PERSON
Kimani Ichung’wah PERSON
Ichung’wah PERSON
House Business Committee ORG
National Treasury ORG
Senate ORG
LSK ORG
Law Society of Kenya ORG
LSK ORG
Faith Odhiambo PERSON
LSK ORG
Odhiambo PERSON
Nairobi GPE
Mombasa GPE
Kisumu GPE
Eldoret GPE
Nyeri GPE
Garissa GPE
Parliamentary Budget Office ORG
National Treasury ORG
William Ruto PERSON
# Tags.
Finance Bill 2025 LAW
John Mbadi PERSON
Kenya Revenue Authority ORG
National Assembly ORG
ODM ORG
"""

KENYA["02_iebc_by_elections.txt"] = """
IEBC ORG
Raila Odinga PERSON
IEBC ORG
Raila Odinga PERSON
Kevin Mutua PERSON
NAIROBI GPE
Kenya GPE
# The long name and the acronym in brackets are two spans.
Independent Electoral and Boundaries Commission ORG
IEBC ORG
IEBC ORG
Erastus Ethekon PERSON
Bomas of Kenya FAC
Ethekon PERSON
National Treasury ORG
Ethekon PERSON
# Counties and constituencies are GPE.
Baringo County GPE
Magarini GPE
Malava GPE
Mbeere North GPE
Kasipul GPE
Ugunja GPE
Cabinet ORG
# Subheading "Raila urges restraint": the first name alone is a PERSON mention.
Raila PERSON
Raila Odinga PERSON
Orange Democratic Movement ORG
ODM ORG
Kasipul GPE
Homa Bay GPE
Odinga PERSON
Oyugis GPE
Dholuo LANGUAGE
English LANGUAGE
Raila PERSON
ODM ORG
United Democratic Alliance ORG
UDA ORG
UDA ORG
Hassan Omar Hassan PERSON
Hassan PERSON
National Elections Board ORG
Elections Act LAW
IEBC ORG
Election Offences Act LAW
Elections Observation Group ORG
ELOG ORG
ELOG ORG
Mule Musau PERSON
Malava GPE
Magarini GPE
# "The Registrar of Political Parties, Ann Nderitu": an office held by a person,
# used as her title here, so not an ORG.
Ann Nderitu PERSON
Democracy for Citizens Party ORG
DCP ORG
Rigathi Gachagua PERSON
Gachagua PERSON
William Ruto PERSON
DCP ORG
Mbeere North GPE
Embu County GPE
IEBC ORG
# Tags ("By-elections" is not a name).
IEBC ORG
Raila Odinga PERSON
ODM ORG
UDA ORG
"""

KENYA["03_jootrh_doctors_strike.txt"] = """
Nyong'o PERSON
JOOTRH FAC
Nyong'o PERSON
JOOTRH FAC
Brian Okoth PERSON
KISUMU GPE
Kenya GPE
# "Kisumu Governor Prof. Peter Anyang' Nyong'o": Kisumu GPE; "Governor" and
# "Prof." are left out; straight apostrophes are part of the name.
Kisumu GPE
Peter Anyang' Nyong'o PERSON
# A hospital named after a person is FAC (hospitals are FAC throughout).
Jaramogi Oginga Odinga Teaching and Referral Hospital FAC
JOOTRH FAC
Kenya Medical Practitioners, Pharmacists and Dentists Union ORG
KMPDU ORG
Nyong'o PERSON
County Government of Kisumu ORG
Muhoroni GPE
Nyong'o PERSON
# Subheading "Two Odhiambos at the table": the plural surname names the two people.
Odhiambos PERSON
# Two different people share the surname Odhiambo; each mention is a PERSON.
Fredrick Odhiambo PERSON
LSK ORG
Faith Odhiambo PERSON
Odhiambo PERSON
Kisumu County Hospital FAC
Moi Teaching and Referral Hospital FAC
Eldoret GPE
Odhiambo PERSON
Odhiambo PERSON
Employment Act LAW
Labour Relations Act LAW
KMPDU ORG
Nyanza LOC
Kevin Osuri PERSON
# Subheading "Hospital named after Jaramogi": the person.
Jaramogi PERSON
Kenya GPE
Jaramogi Oginga Odinga PERSON
Raila Odinga PERSON
Odinga PERSON
Ministry of Health ORG
# "Kisumu County Health Executive Dr. Gregory Ogada": the role is "County Health
# Executive", so only Kisumu is a name (see EXCEPTIONS for "Kisumu County").
Kisumu GPE
Gregory Ogada PERSON
Social Health Authority ORG
SHA ORG
SHA ORG
Ogada PERSON
Council of Governors ORG
CoG ORG
Aden Duale PERSON
Siaya GPE
Vihiga GPE
Homa Bay GPE
Mary Ng'ang'a PERSON
Kakamega GPE
Ng'ang'a PERSON
Kiswahili LANGUAGE
Kisumu County Assembly ORG
# Tags.
Anyang' Nyong'o PERSON
JOOTRH FAC
KMPDU ORG
Kisumu County GPE
Faith Odhiambo PERSON
"""

KENYA["04_gachagua_nyeri_rally.txt"] = """
Gachagua PERSON
Wa Iria PERSON
Mt. Kenya LOC
Gachagua PERSON
Wa Iria PERSON
Mt. Kenya LOC
Joy Wanjiru Kamau PERSON
NYERI GPE
Kenya GPE
# "Former Deputy President Rigathi Gachagua": the title is left out.
Rigathi Gachagua PERSON
Nyeri GPE
Mt. Kenya LOC
# "the 2027 General Election": the year is not part of the event's name.
General Election EVENT
Kamukunji Grounds FAC
Nyeri GPE
Gachagua PERSON
Democracy for Citizens Party ORG
DCP ORG
Kirinyaga GPE
Laikipia GPE
# "the former Deputy President said": a title alone is not a name.
Gĩkũyũ LANGUAGE
Kiswahili LANGUAGE
Murang'a GPE
Mwangi Wa Iria PERSON
Usawa Kwa Wote ORG
DCP ORG
Wa Iria PERSON
Wa Iria PERSON
Kindiki PERSON
Kithure Kindiki PERSON
Tharaka Nithi County GPE
# Roads named by their two ends; "highway"/"road" in lower case stay out.
Kenol-Marua FAC
Nyeri-Nyahururu FAC
Kindiki PERSON
Chuka GPE
Kiharu GPE
# "Hon." is an honorific, left out.
Ndindi Nyoro PERSON
Kenya Kwanza ORG
Nyoro PERSON
Gachagua PERSON
Mathira GPE
Joseph Ng'ang'a PERSON
DCP ORG
Nyeri County GPE
Mathira GPE
DCP ORG
Othaya GPE
DCP ORG
Tetu GPE
DCP ORG
Ng'ang'a PERSON
Murang'a GPE
Gachagua PERSON
Kenya Conference of Catholic Bishops ORG
KCCB ORG
National Police Service ORG
NPS ORG
# "Nyeri County Police Commander Moses Kirui": the role is "County Police
# Commander"; only Nyeri is a name (see EXCEPTIONS for "Nyeri County").
Nyeri GPE
Moses Kirui PERSON
Gachagua PERSON
Parliament ORG
Kindiki PERSON
Court of Appeal ORG
Macharia Munene PERSON
Kikuyu NORP
Gachagua PERSON
Nyeri GPE
Murang'a GPE
Ruto PERSON
Munene PERSON
# Tags.
Rigathi Gachagua PERSON
Mwangi Wa Iria PERSON
DCP ORG
Mt. Kenya LOC
Nyeri GPE
"""

KENYA["05_jkia_new_terminal.txt"] = """
Chirchir PERSON
JKIA FAC
Chirchir PERSON
JKIA FAC
Samuel Kiprono PERSON
NAIROBI GPE
Kenya GPE
# "Transport Cabinet Secretary Davis Chirchir": the title is left out.
Davis Chirchir PERSON
# An airport named after a person is FAC, not PERSON.
Jomo Kenyatta International Airport FAC
JKIA FAC
Senate Committee on Roads, Transportation and Housing ORG
Chirchir PERSON
Kenya Airports Authority ORG
KAA ORG
# Kenyan statutes are cited "Act, 2021": the year is part of the short title.
Public Private Partnerships Act, 2021 LAW
JKIA FAC
Kenyans NORP
Chirchir PERSON
India GPE
Adani Group ORG
William Ruto PERSON
LSK ORG
Katiba Institute ORG
JKIA FAC
KAA ORG
Mohamud Gedi PERSON
Gedi PERSON
Terminal 1A FAC
Kenya Airways ORG
Kenya Airways ORG
Allan Kilavuka PERSON
KQ ORG
Kenyan NORP
Kilavuka PERSON
# Subheading "Two Kenyattas": two different people with one surname.
Kenyattas PERSON
Nandi GPE
Samson Cherargei PERSON
Jomo Kenyatta PERSON
# "Mzee" (elder) is an honorific, left out.
Jomo Kenyatta PERSON
Cherargei PERSON
Uhuru Kenyatta PERSON
# The planned "Greenfield terminal": the name of the facility project.
Greenfield FAC
Kenyatta PERSON
Addis Ababa GPE
African Union ORG
Chirchir PERSON
Nairobi Expressway FAC
JKIA FAC
Rironi GPE
China Road and Bridge Corporation ORG
CRBC ORG
CRBC ORG
Standard Gauge Railway FAC
Mombasa GPE
Nairobi GPE
Embakasi East GPE
Babu Owino PERSON
Embakasi GPE
Owino PERSON
Senate ORG
Nyandarua GPE
John Methu PERSON
JKIA FAC
Kenya Civil Aviation Authority ORG
KCAA ORG
# Tags.
Davis Chirchir PERSON
JKIA FAC
Kenya Airways ORG
Kenya Airports Authority ORG
Uhuru Kenyatta PERSON
"""

KENYA["06_ole_sapit_church_politics.txt"] = """
Ole Sapit PERSON
Ole Sapit PERSON
Grace Wambui PERSON
NAIROBI GPE
Kenya GPE
Anglican Church of Kenya ORG
ACK ORG
# "Archbishop" is a title; "Ole" is part of the surname.
Jackson Ole Sapit PERSON
ACK ORG
Ole Sapit PERSON
All Saints Cathedral FAC
Nairobi GPE
# Subheading "Catholic bishops agree".
Catholic NORP
Kenya Conference of Catholic Bishops ORG
KCCB ORG
Maurice Muhatia PERSON
Kisumu GPE
Catholic Church ORG
Muhatia PERSON
Bible WORK_OF_ART
National Council of Churches of Kenya ORG
NCCK ORG
Presbyterian Church of East Africa ORG
PCEA ORG
Methodist Church in Kenya ORG
State House FAC
# "State House Spokesperson Hussein Mohamed": State House is a name inside a
# title (like "British" in "the British High Commissioner").
State House FAC
Hussein Mohamed PERSON
William Ruto PERSON
Christian NORP
Mohamed PERSON
Ruto PERSON
Africa Inland Church ORG
AIC ORG
Rigathi Gachagua PERSON
Mt. Kenya LOC
Siaya GPE
Oburu Oginga PERSON
Raila Odinga PERSON
Ole Sapit PERSON
Kenyans NORP
Oginga PERSON
Anglican NORP
Nyandarua GPE
Finance Bill 2024 LAW
Jackson Ole Sapit PERSON
Narok County GPE
ACK ORG
Maasai NORP
Maa LANGUAGE
Kiswahili LANGUAGE
ACK ORG
# "Rev." is an honorific, left out.
Rosemary Mbogo PERSON
# Tags.
Jackson Ole Sapit PERSON
ACK ORG
KCCB ORG
William Ruto PERSON
State House FAC
"""

KENYA["07_kasarani_chan_preparations.txt"] = """
# "Kasarani Upgrade": the stadium called by its area's name -> FAC; "in Kasarani"
# and "Kasarani MCA" are the place (GPE).
Kasarani FAC
CAF ORG
Kasarani FAC
CAF ORG
Dennis Ochieng PERSON
NAIROBI GPE
Kenya GPE
# Named after Daniel arap Moi, but a facility: FAC.
Moi International Sports Centre FAC
Kasarani GPE
Salim Mvurya PERSON
Confederation of African Football ORG
CAF ORG
African Nations Championship EVENT
CHAN EVENT
Mvurya PERSON
Elijah Mwangi PERSON
CAF ORG
Mvurya PERSON
Kenya GPE
CHAN EVENT
Uganda GPE
Tanzania GPE
# "the 2027 Africa Cup of Nations": the year is not part of the name.
Africa Cup of Nations EVENT
AFCON EVENT
# "the three East African countries": the region's name as an adjective, LOC as
# "Eastern African" in tests/gold/README.md.
East African LOC
Kasarani FAC
Nyayo National Stadium FAC
Kipchoge Keino Stadium FAC
Eldoret GPE
Talanta Stadium FAC
Jamhuri Show Ground FAC
AFCON EVENT
Moi International Sports Centre FAC
# The lower-case particle "arap" is part of the name.
Daniel arap Moi PERSON
All-Africa Games EVENT
Moi PERSON
Football Kenya Federation ORG
FKF ORG
Hussein Mohammed PERSON
Harambee Stars ORG
Kasarani FAC
# "against the Democratic Republic of Congo": the national team, ORG.
Democratic Republic of Congo ORG
Nairobi GPE
Mohammed PERSON
Benni McCarthy PERSON
South African NORP
Harambee Stars Supporters Club ORG
Victor Ouma PERSON
Kisumu GPE
Nakuru GPE
Mombasa GPE
Ministry of Sports ORG
FKF ORG
Ouma PERSON
Office of the Auditor-General ORG
# "Auditor-General Nancy Gathungu": the title is left out.
Nancy Gathungu PERSON
Kasarani GPE
Peter Warutere PERSON
Warutere PERSON
CAF ORG
Moroccan NORP
Ahmed Harrouz PERSON
Amahoro Stadium FAC
Kigali GPE
Rwanda GPE
# Tags: "CHAN 2024" is the tournament's edition name (the year belongs to it,
# like "Euro 2020"); the tag "Kasarani" stands for the stadium.
CHAN 2024 EVENT
Kasarani FAC
Moi International Sports Centre FAC
Salim Mvurya PERSON
Harambee Stars ORG
"""

KENYA["08_lsk_abductions_petition.txt"] = """
LSK ORG
Murkomen PERSON
LSK ORG
Murkomen PERSON
Mercy Achieng PERSON
NAIROBI GPE
Kenya GPE
Law Society of Kenya ORG
LSK ORG
High Court ORG
Nairobi GPE
National Police Service ORG
NPS ORG
# "LSK President Faith Odhiambo": LSK ORG, title out, PERSON.
LSK ORG
Faith Odhiambo PERSON
Milimani Law Courts FAC
Odhiambo PERSON
# "the Inspector General of Police", "the Director of Criminal Investigations":
# offices used as titles of their holders, not annotated.
Kipchumba Murkomen PERSON
Douglas Kanja PERSON
Mohamed Amin PERSON
Murkomen PERSON
Kenyans NORP
Murkomen PERSON
Eldoret GPE
Amnesty International Kenya ORG
Kenya Human Rights Commission ORG
KHRC ORG
Amnesty International Kenya ORG
Irũngũ Houghton PERSON
Houghton PERSON
Independent Policing Oversight Authority ORG
IPOA ORG
IPOA ORG
Ahmed Issack Hassan PERSON
# "Justice Chacha Mwita": "Justice" is the judge's title.
Chacha Mwita PERSON
Mwita PERSON
Nairobi GPE
Martha Koome PERSON
Supreme Court ORG
Judiciary ORG
Constitution of Kenya, 2010 LAW
Koome PERSON
Judicial Service Commission ORG
JSC ORG
High Court ORG
# Two people named Kavuli (brothers).
Bernard Kavuli PERSON
Machakos GPE
Peter Kavuli PERSON
# The platform formerly called Twitter: ORG, like Twitter.
X ORG
Peter PERSON
Kavuli PERSON
John Khaminwa PERSON
Prevention of Torture Act LAW
# Tags ("Abductions" is not a name).
Faith Odhiambo PERSON
Kipchumba Murkomen PERSON
LSK ORG
Martha Koome PERSON
"""

KENYA["09_governors_sha_arrears.txt"] = """
SHA ORG
SHA ORG
Kevin Mutua PERSON
MOMBASA GPE
Kenya GPE
Social Health Authority ORG
SHA ORG
Council of Governors ORG
CoG ORG
Ahmed Abdullahi PERSON
Constitution LAW
Abdullahi PERSON
Wajir GPE
CoG ORG
Mombasa GPE
Mombasa GPE
Abdulswamad Nassir PERSON
Coast General Teaching and Referral Hospital FAC
Nassir PERSON
Duale PERSON
SHA ORG
Aden Duale PERSON
SHA ORG
National Hospital Insurance Fund ORG
NHIF ORG
Duale PERSON
Nairobi GPE
Duale PERSON
Social Health Insurance Act LAW
Primary Healthcare Act LAW
Ministry of Health ORG
Nairobi GPE
Kiambu GPE
Nakuru GPE
# "Mombasa County Health Executive Dr. Swabah Omar": role "County Health
# Executive"; Mombasa GPE, "Dr." left out.
Mombasa GPE
Swabah Omar PERSON
Likoni GPE
Jomvu GPE
Omar PERSON
Senate Standing Committee on Health ORG
Jackline Oduol PERSON
Duale PERSON
SHA ORG
Mercy Mwangangi PERSON
Kakamega GPE
Boni Khalwale PERSON
Kenyans NORP
SHA ORG
Khalwale PERSON
Bungoma GPE
# The governor's surname is also Zambia's capital; here always the person.
Kenneth Lusaka PERSON
CoG ORG
William Ruto PERSON
State House FAC
Mombasa GPE
Lusaka PERSON
Lusaka PERSON
Kenya Union of Clinical Officers ORG
KUCO ORG
Mombasa GPE
Kwale GPE
Kilifi GPE
# Tags.
Aden Duale PERSON
Council of Governors ORG
Social Health Authority ORG
SHA ORG
Mombasa GPE
"""

KENYA["10_nyongo_lake_region_investment.txt"] = """
# Curly apostrophes in this article (straight ones in 03): both are part of the name.
Nyong’o PERSON
French NORP
Kisumu Port FAC
Nyong’o PERSON
French NORP
Kisumu Port FAC
Brian Okoth PERSON
KISUMU GPE
Kenya GPE
Kisumu GPE
Anyang’ Nyong’o PERSON
Agence Française de Développement ORG
AFD ORG
Kisumu GPE
Kisumu State Lodge FAC
# "French Ambassador to Kenya Arnaud Suquet": French NORP, Kenya GPE, title out.
French NORP
Kenya GPE
Arnaud Suquet PERSON
AFD ORG
Hervé Lefèvre PERSON
Kisumu GPE
Great Lakes LOC
Kampala GPE
Kigali GPE
Nyong’o PERSON
Lefèvre PERSON
Mombasa GPE
Dar es Salaam GPE
Tanzania GPE
Kisumu GPE
Kenya Ports Authority ORG
KPA ORG
Kisumu Port FAC
Mfangano LOC
Rusinga LOC
# "KPA Managing Director Captain William Ruto": a different person from the
# President with the same full name; "Captain" is a title.
KPA ORG
William Ruto PERSON
Kisumu GPE
Ugandan NORP
William Ruto PERSON
# Subheading "Lake Region bloc": the region's name; "bloc" stays out.
Lake Region LOC
Lake Region Economic Bloc ORG
LREB ORG
Kenya GPE
LREB ORG
Kakamega GPE
Fernandes Barasa PERSON
Dunga Beach LOC
Raila Odinga PERSON
Lake Victoria LOC
X ORG
Kisumu GPE
Odinga PERSON
Dunga LOC
Beach Management Unit ORG
Maurice Okumu PERSON
Luo NORP
Okumu PERSON
Dholuo LANGUAGE
Nyong’o PERSON
Mathew Owili PERSON
French NORP
Sogea-Satom ORG
Kisumu GPE
Siaya GPE
Homa Bay GPE
# "Kisumu City Manager Abala Wanga": role "City Manager".
Kisumu GPE
Abala Wanga PERSON
Kisumu–Busia FAC
Kisumu International Airport FAC
# Tags.
Anyang’ Nyong’o PERSON
AFD ORG
Kisumu GPE
Lake Victoria LOC
Raila Odinga PERSON
"""


# ---------------------------------------------------------------------------
# Exceptions to the coverage check: (surface, number of whole-word occurrences
# allowed outside every span, reason). Keyed by page id or Kenyan file name.
# ---------------------------------------------------------------------------

EXCEPTIONS: dict[str, list[tuple[str, int, str]]] = {
    "01_finance_bill_2025.txt": [
        (
            "Cabinet",
            1,
            '"Treasury Cabinet Secretary John Mbadi": part of a job title, not the Cabinet as a body.',
        ),
    ],
    "03_jootrh_doctors_strike.txt": [
        (
            "Kisumu County",
            1,
            '"Kisumu County Health Executive Dr. Gregory Ogada": "County Health '
            'Executive" is the role, so only "Kisumu" is annotated there.',
        ),
    ],
    "08_lsk_abductions_petition.txt": [
        (
            "Judiciary",
            1,
            "the site's section label under the breadcrumb (boilerplate, like "
            '"Governance" in the samples), not a mention of the Judiciary.',
        ),
    ],
    "04_gachagua_nyeri_rally.txt": [
        (
            "Nyeri County",
            1,
            '"Nyeri County Police Commander Moses Kirui": "County Police Commander" '
            'is the role, so only "Nyeri" is annotated there.',
        ),
    ],
}


# ---------------------------------------------------------------------------
# Resolution and checks (same rules as tests/gold/build_gold.py).
# ---------------------------------------------------------------------------

Entity = tuple[int, int, str, str]


def parse(block: str) -> list[tuple[str, str]]:
    """Turn a ``surface LABEL`` block into (surface, label) pairs."""
    pairs = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        surface, _, label = line.rpartition(" ")
        if label not in LABELS or not surface.strip():
            raise SystemExit(f"bad span line: {raw!r}")
        pairs.append((surface.strip(), label))
    return pairs


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_word_at(text: str, start: int, end: int) -> bool:
    before_ok = start == 0 or not _is_word_char(text[start - 1])
    after_ok = end == len(text) or not _is_word_char(text[end])
    return before_ok and after_ok


def occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of every whole-word occurrence of ``needle`` in ``text``."""
    found = []
    pos = text.find(needle)
    while pos != -1:
        if _whole_word_at(text, pos, pos + len(needle)):
            found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


def resolve(name: str, text: str, pairs: list[tuple[str, str]]) -> list[Entity]:
    """Place each (surface, label) at its next whole-word occurrence."""
    entities: list[Entity] = []
    cursor = 0
    for surface, label in pairs:
        candidates = [p for p in occurrences(text, surface) if p >= cursor]
        if not candidates:
            raise SystemExit(f"{name}: cannot place {surface!r} after offset {cursor}")
        start = candidates[0]
        end = start + len(surface)
        entities.append((start, end, label, surface))
        cursor = end
    return entities


def check_coverage(name: str, text: str, entities: list[Entity]) -> None:
    """Fail if an annotated surface form occurs (whole word) outside every span."""
    allowed = {surface: count for surface, count, _ in EXCEPTIONS.get(name, [])}
    problems = []
    for surface in sorted({e[3] for e in entities} | set(allowed)):
        uncovered = [
            pos
            for pos in occurrences(text, surface)
            if not any(s <= pos and pos + len(surface) <= e for s, e, _, _ in entities)
        ]
        if len(uncovered) != allowed.get(surface, 0):
            for pos in uncovered:
                context = text[max(0, pos - 40) : pos + len(surface) + 40].replace("\n", " ")
                problems.append(f"{name}: {surface!r} at {pos} not annotated: ...{context}...")
            if not uncovered or surface in allowed:
                problems.append(
                    f"{name}: {surface!r}: {len(uncovered)} uncovered, "
                    f"{allowed.get(surface, 0)} allowed by EXCEPTIONS"
                )
    if problems:
        raise SystemExit("\n".join(problems))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def real_bodies() -> dict[str, str]:
    """``{page id: articleBody}`` from the shared ground truth."""
    path = shared_dir() / "ground-truth.json"
    if not path.is_file():
        raise SystemExit(f"{path} not found: set REAL_PAGES_DEV to the real-pages-dev folder")
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {page_id: record["articleBody"] for page_id, record in data.items()}


def kenya_text(name: str) -> str:
    with open(KENYA_DIR / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def build() -> tuple[list[dict], list[dict]]:
    """Resolve and check every document; return the two lists of records."""
    bodies = real_bodies()
    real_records = []
    for page_id in sorted(REAL):
        body = bodies[page_id]
        entities = resolve(page_id, body, parse(REAL[page_id]))
        check_coverage(page_id, body, entities)
        real_records.append({"id": page_id, "sha256": sha256(body), "entities": _dicts(entities)})
    kenya_records = []
    for name in sorted(KENYA):
        text = kenya_text(name)
        entities = resolve(name, text, parse(KENYA[name]))
        check_coverage(name, text, entities)
        kenya_records.append({"file": f"kenya/{name}", "sha256": sha256(text), "entities": _dicts(entities)})
    return real_records, kenya_records


def _dicts(entities: list[Entity]) -> list[dict]:
    return [
        {"start": start, "end": end, "label": label, "text": text} for start, end, label, text in entities
    ]


def render(key: str) -> str:
    """The document with every span shown as [text|LABEL] (for rereading)."""
    if key in KENYA or key.removeprefix("kenya/") in KENYA:
        name = key.removeprefix("kenya/")
        text, pairs = kenya_text(name), parse(KENYA[name])
    else:
        matches = [page_id for page_id in REAL if page_id.startswith(key)]
        if len(matches) != 1:
            raise SystemExit(f"no single document matches {key!r}")
        key = matches[0]
        text, pairs = real_bodies()[key], parse(REAL[key])
    out, cursor = [], 0
    for start, end, label, surface in resolve(key, text, pairs):
        out.append(text[cursor:start])
        out.append(f"[{surface}|{label}]")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _write(path: Path, records: list[dict]) -> None:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    """Write both gold files (or render one document) and print the counts."""
    if len(argv) == 2 and argv[0] == "--render":
        print(render(argv[1]))
        return 0
    if argv:
        raise SystemExit(__doc__)
    real_records, kenya_records = build()
    _write(REAL_OUT, real_records)
    _write(KENYA_OUT, kenya_records)
    for path, records in ((REAL_OUT, real_records), (KENYA_OUT, kenya_records)):
        labels: dict[str, int] = {}
        for record in records:
            for entity in record["entities"]:
                labels[entity["label"]] = labels.get(entity["label"], 0) + 1
        total = sum(labels.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
        print(f"wrote {path.name}: {len(records)} documents, {total} spans ({detail})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
