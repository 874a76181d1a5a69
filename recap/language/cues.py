"""The phrases news hosts use to open, close and group stories, as patterns.

Openers are matched at the start of a sentence (after filler such as "so" or "okay"), closers
anywhere in the sentence before a gap. All are case-insensitive where ASR may drop capitals.
"""

from __future__ import annotations

import re

from recap.language.lexicon import ENGLISH

_I = re.IGNORECASE

# -- lead-ins -------------------------------------------------------------------------------
# What a host says before the sentence proper, on one word list. The hesitations ("um", "uhm",
# "hmm") are the English lexicon's: the words `recap clean` always removes.
# FILLER is the talk before a cue phrase ("Okay, so, next news."): it leaves "next", "first" and
# "also" alone, since the cue phrases open with them.
# LEAD_IN is all that goes from the front of a sentence an editor prints ("So, next up, Google
# has ..."): the filler, the words that announce an item, and "the next story is (that)".
# HEADING_LEAD_IN is what heading_for strips from a story's opening before it looks for a name: a
# shorter list, and "next" before "next up", so "Next up, X" keeps "up, X". Merged with LEAD_IN,
# spaCy reads some openings differently and names the story otherwise ("Next up, September." is
# titled "Man", not "September", in a changelog dev transcript), so it stays apart until a change
# to the headings is meant.
_HESITATIONS = "|".join(sorted(ENGLISH.fillers, key=lambda word: (-len(word), word)))
_FILLER_OPENING = rf"so|and|okay|ok|well|{_HESITATIONS}|now|alright|all right"
_FILLER_WORDS = rf"{_FILLER_OPENING}|right|great|cool|yeah"
_ANNOUNCING_WORDS = (r"next news|next up|up next|in other news|moving on|first of all|first up"  # long first
                     r"|last but not least|speaking of which|next|also|finally|lastly|first|anyway")
FILLER = rf"(?:(?:{_FILLER_WORDS})[,.!]?\s+)*"
LEAD_IN = re.compile(
    rf"^(?:(?:{_ANNOUNCING_WORDS}|{_FILLER_WORDS}|but|yes|oh|hey|excellent)\b[,.:!]?\s+)+"
    r"|^(?:the |our )?(?:last|final|next|first|second|third|other) (?:thing|story|item|one|news)"
    r"(?: (?:for|on) (?:today|this week|the list))? (?:is|was)\s+(?:that\s+)?",
    _I)
HEADING_LEAD_IN = re.compile(
    rf"^(?:(?:{_FILLER_OPENING}|next|next up|next news|in other news|moving on|also|finally|lastly|first"
    r"|first up|last but not least|speaking of which)[,.:!]?\s+)+",
    _I)
# A review's period opening its part: "In January,", "Next up, February.", "It's October and".
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
PERIOD_OPENING = re.compile(
    rf"^{FILLER}(?:(?:next up|next|lastly|finally|and|here comes?|that brings us to|on to|it'?s|in)"
    r"[,.:]?\s+)*"
    rf"({'|'.join(MONTHS)})(?:[,.:!]|\s+and\b|$)", _I)


def month_opening(text: str) -> str | None:
    """The month a sentence opens on as a review's part ("Next up, February." -> "February")."""
    match = PERIOD_OPENING.match(text.lstrip())
    return match.group(1).capitalize() if match else None

# FILLER that cannot give words back: the checks after it ("not a pronoun") see the real opening.
# (An atomic group, spelled for Python 3.10.)
_ALL_FILLER = rf"(?=(?P<filler>{FILLER}))(?P=filler)"
_ITEM = (r"(?:news\s+)?(?:item|story|stor(?:y|ies)|news|paper|model|release|question|pr|pull request"
         r"|topic|project|segment|announcement|headline)s?")
_NEXT = r"(?:next|last|final|another|one more)"
_ORDINAL = r"(?:first|second|third|fourth|fifth)"

_OPENING_PHRASES = (
    r"next news|next up|up next|next story|next,|next we have|next on|in other news|other news"
    r"|moving on|also from|also in the news|there'?s (?:also )?a new|there is (?:also )?a new"
    r"|the last thing|last but not least|our first story|first up"
    r"|let'?s (?:move on|talk about|start with|look at)|on to |onto "
    rf"|(?:(?:our|the|and|a|my)\s+)?{_NEXT}\s+(?:\w+\s+){{0,2}}?(?:{_ITEM}|one)\b"
    rf"|(?:(?:our|the|and|a|my)\s+)?{_ORDINAL}\s+(?:\w+\s+){{0,2}}?{_ITEM}\b"
    r"|it'?s (?:\w+ )?time for"  # "it's now time for", and the recogniser's "it's out time for"
    r"|(?:(?:this|today'?s) (?:video|episode|show) is )?(?:sponsored|brought to you) by"
)
OPENER = re.compile(f"^{FILLER}(?:{_OPENING_PHRASES})", _I)
# Where to break text that has no punctuation at all (auto captions): the plainest openers.
RUN_ON_BREAK = re.compile(
    r"\b(?:next news|next up|in other news|moving on|there'?s a new|the last thing|last but not least"
    r"|(?:that'?s|that is|that was) (?:it|all) for|all right|alright|okay so|ok so|hello|welcome)\b",
    _I,
)
# Verbs that announce a release, in the forms a host uses: "released", "launches", "open-sourced".
RELEASE_VERBS = (r"release[sd]|announce[sd]|launche[sd]|unveil(?:ed|s)|publish(?:ed|es)|introduce[sd]"
                 r"|open[- ]source[sd]|ship(?:ped|s)|drop(?:ped|s)|present(?:ed|s)|reveal(?:ed|s)"
                 r"|debut(?:ed|s)|roll(?:ed|s) out|tease[sd]|put out|came out with")
# The past tense of the plainest of them: a release told as news ("Orca Labs released Harbor"),
# for a first story's opening and a summary's "what it is". RELEASE_VERBS there would also take
# "reveals", "dropped" and "presented" said in passing, and pick other summaries (8 of 355
# stretches of the changelog dev transcripts).
RELEASED = r"released|announced|launched|unveiled|published|introduced|open-sourced"
# "<Org> has released ...": up to seven words that name someone, then a release verb. Lowercase
# is allowed because ASR mangles names ("Oracle apps have released"); pronouns are not names,
# nor is "the company" or "the authors" (a story going on), though "The Allen Institute" is.
RELEASE = re.compile(
    "^" + _ALL_FILLER + r"(?!(?:it|they|we|he|she|you|i|this|that|these|those|there|which|who|its|their)\b)"
    r"(?!(?-i:[Tt]he\s+[a-z]))"
    r"(?:[\w.&'+-]+\s){1,7}(?:has |have |had |just |now |recently |also |finally |officially |quietly )*"
    r"(?<!been )(?<!be )(?<!was )(?<!were )(?<!is )(?<!are )"  # "was released" tells, it does not open
    rf"(?:{RELEASE_VERBS}|(?:has|have) (?:a|an) (?:brand )?new"
    r"|(?<!it )(?<!this )(?<!that )is (?:now )?out)\b",  # "Llama 3 is out", "Google has a new paper"
    _I,
)
# "Lovely Tensors is a library that ...": how a list of quick items introduces each one. The
# name must not open with a common word ("It is a", "The idea is a" introduce nothing).
_COMMON_OPENING = (r"(?:it|they|we|he|she|you|i|this|that|these|those|there|which|who|what|the|our|my|your"
                   r"|its|their|his|her|one|all|each|every|some|any|here|so|and|but|if|when)\b")
DEFINITION = re.compile(
    "^" + _ALL_FILLER + rf"(?!{_COMMON_OPENING})(?:[\w.&'+-]+\s){{1,4}}(?:is|are)\s+(?:a|an)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:library|tool|toolkit|framework|dataset|data set|benchmark|model|app|package"
    r"|plugin|extension|project|platform|api|service|agent|assistant|editor|compiler|course|book|demo"
    r"|repository|repo|collection|paper)\b",
    _I,
)
# Weak on their own: hosts also say them inside a story.
TRANSITION = re.compile(
    r"^(?:and )?(?:all right|alright|okay|ok|next|anyway|now then|finally|speaking of|this week)\b", _I)

# A sponsor's call to action: "Go to guide.example.com", "learn more at example.dev", "fill out
# this form", "with the code WEEKLY". It ends the read (and closes a story like any CLOSER).
_DOMAIN = r"\S+\.(?:com|io|dev|ai|org|net|co|so|app)\b"
SPONSOR_CALL = re.compile(
    rf"(?:go|head|get) (?:over )?to {_DOMAIN}"
    rf"|(?:learn more|sign up|find out more|try it free) (?:at|on) {_DOMAIN}"
    r"|\bfill out (?:this|the|our) form"
    r"|\b(?:use|with) (?:the )?(?:promo |discount |coupon )?code \w+", _I)
# How a host ends an item: pointing at the link or the page ("check it out", "click through for
# more"), inviting replies ("hit reply"), a sponsor's call to action. The next sentence opens anew.
CLOSER = re.compile(
    r"check out the (?:paper|repo|repository|blog|article|demo|video|project|website|code|post)"
    r"|link(?:ed|s)? (?:is |are )?(?:in|below|down)|in the (?:description|show notes)"
    r"|give it a (?:try|look|go|spin)|if you(?:'re| are) interested|check it out|go check"
    r"|try it (?:out|yourself)|(?:is|are) linked|play with (?:it|the demo)"
    r"|let'?s (?:dive|jump|get|go) (?:right )?in(?:to)?\b|let'?s get (?:started|going)"
    r"|here(?:'s| is) what(?:'s)? (?:happened|new)"
    r"|thanks? (?:you )?for (?:joining|coming on|being here)|free to drop"
    r"|let me know (?:what you think|in the comments)|\bclick through (?:for|to|if)\b"
    r"|\b(?:i|we)(?:'?d| would) love to hear (?:about it|from you|your thoughts|what you think)|\bhit reply\b"
    rf"|{SPONSOR_CALL.pattern}",
    _I,
)
LINK_WORDS = re.compile(
    r"\bpaper\b|\brepo(?:sitory)?\b|\bblog post\b|\bdemo\b|\blinks?\b|\bgithub\b|\bwebsite\b"
    r"|\bhugging ?face\b|\barxiv\b|\bwrite-?up\b|\bnewsletter\b",
    _I,
)

# -- intro and outro ----------------------------------------------------------------------
# Two greeting rules for two jobs. INTRO_GREETING decides whether a first story is the intro at
# all, so it asks for a greeting proper ("hello", "good morning", "this is the Tensor Weekly show").
# STILL_GREETING is asked only once the intro is known, of each sentence after its first, and of
# every sentence a summary might print: there "this is", "packed episode" and "let's dive in" are
# greeting talk to leave out. INTRO_GREETING in that job would print "I am your host, and we have
# a packed episode today." as the sample articles' intro.
INTRO_GREETING = re.compile(
    r"\b(?:welcome|hello|hi (?:everyone|everybody|all|there|folks)|hey (?:everyone|everybody|folks)"
    r"|what'?s up|what up|good (?:morning|evening|afternoon)|this week on|on today'?s"
    r"|in this episode|i'?m your host|this is (?:the )?[\w ,'-]{1,40}(?:news|weekly|show|podcast))\b",
    _I,
)
# A sentence that still belongs to the greeting: welcomes, the host, the rundown announced.
STILL_GREETING = re.compile(
    r"\b(?:welcome|hello|hi (?:everyone|all|there)|i'?m your host|i am your host|this is|what up|"
    r"packed episode|stories today|here is what happened|let'?s (?:dive|get going|get started|jump))\b",
    _I)
# The show's name as the host says it in the greeting: "I'm Jerod and this is Changelog News".
# Case matters here: the name is the capitalised words after "this is" (not "this is the news").
_SHOW_NAMED = re.compile(
    r"\b(?:[Tt]his is|[Ww]elcome (?:back )?to)\s+(?:the\s+)?(?P<show>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3})")


def show_named(greeting: str) -> str | None:
    """The show's name the greeting says, or None."""
    match = _SHOW_NAMED.search(greeting)
    return match.group("show") if match else None


# How a first story opens when the intro runs straight into it.
STORY_OPENER = re.compile(
    rf"\b(?:{RELEASED})\b|\b(?:called|named)\b|\bthere'?s a new\b|\b(?:first|our) (?:story|item|up)\b", _I)

SIGN_OFF = re.compile(
    r"\b(?:(?:that'?s|that is) (?:it|all|the news|the show|our show)|that was (?:it|all)"
    r"|see you (?:next|soon|again)|thanks? (?:you )?(?:so much )?for (?:watching|listening|tuning in)"
    r"|subscribe|until next time|bye|talk to you (?:again|next|soon)|hear you (?:all )?(?:next|soon)"
    r"|have a (?:great|good|nice) (?:week|day)"
    r"|catch you (?:next|later))\b",
    _I,
)
# The sign-off opens the outro: "That's all for this week", "That's the news for now".
OUTRO_OPENER = re.compile(
    "^" + FILLER + r"(?:(?:and )?(?:that'?s|that is|that was|that'?ll be) (?:it|all|everything) (?:for|from)"
    r"|(?:that'?s|that is|that was) (?:the news|the show|our show|the episode)|this has been"
    r"|(?:\w+\s+){1,3}(?:all|it|everything) for (?:this week|today|this episode|now)\b)\b",
    _I,
)
SPONSOR = re.compile(r"\b(?:sponsor(?:ed|s)?|brought to you by|promo code|use code|discount code)\b", _I)
# A sponsor read announced: "It's now time for sponsored news", "This episode is brought to you by".
SPONSOR_READ = re.compile(
    r"(?:it'?s (?:\w+ )?time for sponsor"
    r"|(?:this|today'?s) (?:video|episode|show) is (?:sponsored|brought to you) by)", _I)

# -- sections -------------------------------------------------------------------------------
# A section announced by the host: "On to hardware.", "It's now time for sponsored news!",
# "Moving on to releases", "Let's go to the Stack Exchange questions", "a bunch of new models".
SECTION = re.compile(
    "^" + FILLER + r"(?:(?:and )?(?:now\s+)?(?:moving\s+)?on\s?to|(?:it'?s\s+)?(?:\w+\s+)?time for"
    r"|let'?s (?:go|move|turn|jump|head) (?:on )?(?:over )?to|now for)"
    r"\s+(?P<name>[^.!?:;,]{3,60})",
    _I,
)
SECTION_ANNOUNCED = re.compile(
    "^" + FILLER + r"(?:(?:we have|we've got|we got|there are|here are|let'?s (?:do|look at|go through)"
    r"|(?:it'?s )?time for|now for)\s+)?"
    r"(?:a bunch of|some|a few|a couple of|lots of|a lot of)\s+(?P<name>"
    r"(?:\w+\s){0,3}?(?:models|papers|releases|tools|datasets|libraries|projects|demos)"
    # "a couple of things" is just talk; "some helpful things" names a section
    r"|(?:\w+\s){1,3}?(?:things|news|updates|questions|changes))\b",
    _I,
)
NOT_A_SECTION = re.compile(
    rf"^(?:the |our |a |an |my )?(?:{_NEXT}|{_ORDINAL}|this|that|it|him|her|them|you|us|one|some|other)\b",
    _I)
