"""What the demo organisation is made of: its locations, its staff and the words in About Me.

Every name, number and address here is invented. Phone numbers come from Ofcom's ranges kept
for drama (0113 496 0xxx, 07700 900xxx), emails use reserved domains (.test, example.com) and
NHS numbers come from the range NHS England never issues.
"""

from dataclasses import dataclass

from carelead.core.permissions import Role
from carelead.organisations.models import SettingType

DEMO_ORGANISATION = "Meadowbank Care Group"
DEMO_PROVIDER_ID = "1-101614500"
EMPLOYER_ORGANISATION = "Employer: Mrs Joan Ashworth"
DEMO_DOMAIN = "demo.carelead.test"
# Long enough for the password validators (12 characters at least), not a common password.
DEMO_PASSWORD = "demo-password-2026"
# Faker and the NHS number generator are seeded with this, so the demo is the same each time.
DEMO_SEED = 20261122


@dataclass(frozen=True)
class LocationSpec:
    key: str
    name: str
    setting_type: str
    cqc_location_id: str
    address: str
    postcode: str
    people: int  # how many people it supports
    ages: tuple[int, int]


PROVIDER_LOCATIONS = (
    LocationSpec(
        "house", "Meadowbank House", SettingType.CARE_HOME_NURSING, "1-101614546",
        "12 Meadow Lane\nHeadingley\nLeeds", "LS6 3QW", 18, (72, 99),
    ),
    LocationSpec(
        "homecare", "Meadowbank Home Care, Leeds North", SettingType.HOME_CARE, "1-101614547",
        "Unit 4, Otley Road Business Centre\nLeeds", "LS16 6AA", 12, (60, 96),
    ),
    LocationSpec(
        "living", "Meadowbank Court", SettingType.SUPPORTED_LIVING, "1-101614548",
        "Meadowbank Court\n3 Chapel Street\nLeeds", "LS6 2RT", 9, (22, 64),
    ),
)
EMPLOYER_LOCATION = LocationSpec(
    "joan", "Mrs Ashworth's home", SettingType.OWN_HOME, "",
    "27 Hawthorn Road\nOtley", "LS21 3PJ", 1, (81, 81),
)


@dataclass(frozen=True)
class StaffSpec:
    mailbox: str  # the part before @demo.carelead.test
    full_name: str
    role: str
    job_title: str
    locations: tuple[str, ...] = ()
    all_locations: bool = False
    audit_access: bool = False
    employer: bool = False  # a member of Mrs Ashworth's organisation, not Meadowbank's

    @property
    def email(self) -> str:
        return f"{self.mailbox}@{DEMO_DOMAIN}"


DEMO_STAFF = (
    StaffSpec("lead", "Priya Sharma", Role.LEAD_PRACTITIONER, "Lead practitioner", ("house", "homecare")),
    StaffSpec("carer", "Tom Baxter", Role.CARE_WORKER, "Care worker", ("house",)),
    StaffSpec("senior", "Grace Okafor", Role.SENIOR_CARER, "Senior carer", ("house",)),
    StaffSpec("manager", "Helen Whitworth", Role.REGISTERED_MANAGER, "Registered manager", ("house", "homecare", "living")),
    StaffSpec("safeguarding", "Samir Kaur", Role.SAFEGUARDING_LEAD, "Safeguarding lead", ("house", "homecare", "living")),
    StaffSpec("admin", "Mark Ellis", Role.ORG_ADMIN, "Operations administrator", all_locations=True, audit_access=True),
    StaffSpec("homecare", "Leah Brown", Role.CARE_WORKER, "Home care worker", ("homecare",)),
    StaffSpec("support", "Daniel Price", Role.CARE_WORKER, "Support worker", ("living",)),
    StaffSpec("pa", "Rachel Moss", Role.LEAD_PRACTITIONER, "Lead Personal Assistant", ("joan",), employer=True),
    StaffSpec("joan", "Joan Ashworth", Role.ORG_ADMIN, "Employer", all_locations=True, employer=True),
)

# The person a Lead PA supports, in her own words where About Me asks for them.
JOAN = {
    "given_name": "Joan",
    "family_name": "Ashworth",
    "preferred_name": "Joan",
    "pronouns": "she/her",
    "about_me": {
        "most_important": "Staying in my own home, where I have lived for 52 years, and my weekly trip to the market.",
        "important_people": "My son David, who rings every evening, and my neighbour Pat.",
        "communication": "My eyesight is poor. Please read letters out to me or use large print.",
        "wellness": "I have macular degeneration and arthritis in my hands. Mornings are stiff.",
        "do_and_dont": "Please do knock and call out before you come in. Please don't move things in the kitchen.",
        "how_to_support": "Help me get up and dressed slowly; I like to choose my own clothes.",
        "also_worth_knowing": "I was a primary school teacher and love a crossword read aloud.",
    },
}

ABOUT_ME_PHRASES = {
    "most_important": (
        "My family, especially my grandchildren's visits on Sundays.",
        "Keeping my garden tidy and watching the birds from my window.",
        "My faith. I like to go to church on Sunday mornings.",
        "Staying as independent as I can, for as long as I can.",
        "Football. I have supported Leeds United all my life.",
        "Music, especially brass bands and the songs from the war years.",
        "My routines: the same breakfast, the same chair, the radio on.",
    ),
    "important_people": (
        "My daughter, who visits on Tuesdays and Saturdays.",
        "My husband, who died in 2019, and our two sons.",
        "My friend from the allotment, who still phones every week.",
        "My brother in Bradford and his wife.",
        "My key worker and the friends I live with.",
    ),
    "communication": (
        "I am hard of hearing on my left side. Please sit on my right and face me.",
        "I wear glasses for reading. Please make sure they are clean.",
        "I use short sentences. Give me time to answer and do not finish them for me.",
        "I speak Punjabi and English. I prefer Punjabi when I am tired.",
        "I understand more than I can say. Use pictures and show me things.",
    ),
    "wellness": (
        "I have type 2 diabetes and take tablets with breakfast and tea.",
        "I have arthritis in my knees and use a frame to walk.",
        "I get anxious in the evenings and like a warm drink and the radio.",
        "I have epilepsy. My seizures are usually at night.",
        "I had a stroke in 2022 and my right side is weaker.",
    ),
    "do_and_dont": (
        "Please do call me by my first name. Please don't rush me in the mornings.",
        "Please do knock before coming in. Please don't turn the television off without asking.",
        "Please do tell me who you are each time. Please don't talk over me.",
        "Please do let me choose my clothes. Please don't put sugar in my tea.",
    ),
    "how_to_support": (
        "Help me with a shower in the morning; I can wash my own face and hands.",
        "Remind me about my tablets and stay while I take them.",
        "Walk beside me on my left; I hold the rail with my right hand.",
        "Help me plan my week on my picture board on Sunday evenings.",
    ),
    "also_worth_knowing": (
        "I was a nurse at St James's for thirty years.",
        "I drove buses in Leeds until I retired.",
        "I love a crossword and a custard cream.",
        "I like to help set the tables at lunchtime.",
        "I have a season ticket to the rugby and go with my nephew.",
    ),
}

NEXT_OF_KIN_RELATIONSHIPS = ("Daughter", "Son", "Niece", "Nephew", "Wife", "Husband", "Sister", "Brother", "Friend")
GP_PRACTICES = (
    ("Meadow Lane Medical Practice", "B99001"),
    ("Otley Road Surgery", "B99002"),
    ("Chapel Street Health Centre", "B99003"),
)
