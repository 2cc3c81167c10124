"""About & method: what the dashboard is, definitions, caveats, how to cite, licences. Static text as components."""
import dash
from dash import dcc, html

from dashboard import components, data_access, i18n
from dashboard.i18n import N_, _
from dashboard.aggregates.overview import event_date
from dashboard.aggregates import lead
from dashboard.aggregates.reported import METRIC_LABELS, METRIC_MEANINGS
from dashboard.datasets import (
    INEGI_HOMICIDES,
    IOM_SOURCE,
    MPP_ENDED_EVENT,
    MPP_FIRST_RETURN_EVENT,
    MPP_REINSTATED_EVENT,
    MPP_SUSPENDED_EVENT,
    OHSS_ENCOUNTERS,
    PCOME_SOURCE,
    POLICY_EVENTS,
)

PAGE = N_("About & method")
dash.register_page(__name__, path="/about", name=PAGE, title=components.page_title(PAGE), order=7)


def term(name, *text):
    return [html.Dt(name), html.Dd(list(text))]


def credit(data, source_id: str, unknown: str) -> str:
    """Who publishes a source, in the release's words (the registry's attribution)."""
    return data.attribution(source_id) if data is not None else unknown


def citations(data) -> list[dict]:
    """Each source's citation as the release carries it (from the registry), with its retrieval date in this
    release (a curated table: the publication dates of its figures), and its licence."""
    return data.citations() if data is not None else []


def coverage(data) -> list:
    """What this release covers: each dataset in words, with its first and last period and its source."""
    if data is None:
        return [html.P(_("No data release yet."))]
    rows = []
    for dataset_id, d in data.datasets().items():
        first, last = data.reach(dataset_id)
        if not last:
            continue
        source = data.attribution(d["source_id"]) if d["source_id"] else ""
        rows.append(html.Tr([html.Td(d["label"]), html.Td(_("{first} to {last}").format(first=first, last=last)), html.Td(source)]))
    if not rows:
        return [html.P(_("This release holds no dated series yet."))]
    return [html.Div(html.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (_("Dataset"), _("Covers"), _("Source"))])),
        html.Tbody(rows),
    ], className="data"), className="table-wrap", tabIndex="0", role="region",
        **{"aria-label": _("What this release covers")})]


def mpp_definition(data) -> str:
    """What MPP was, with the dates of its policy events in the release (in force from <first return> until
    <suspension>, reinstated by court order from <reinstatement> to <end>), or without them when the release lacks
    them. One whole sentence per case, so that each translates with its own word order."""
    dates = mpp_dates(data)
    if dates is None:
        return _(MPP_WHAT)
    first, suspended, reinstated, ended = (i18n.month_year(d) for d in dates)
    return _(MPP_WHAT_DATED).format(first=first, suspended=suspended, reinstated=reinstated, ended=ended)


MPP_WHAT = N_("A U.S. policy under which asylum seekers who arrived at the southern border were sent back to Mexico "
              "to wait for their U.S. immigration court hearings. Returns went through San Ysidro (to Tijuana), "
              "Calexico (Mexicali), El Paso (Ciudad Juárez), Laredo (Nuevo Laredo), Brownsville (Matamoros), "
              "Eagle Pass (Piedras Negras) and Nogales.")
MPP_WHAT_DATED = N_("A U.S. policy, in force from {first} until new enrollments were suspended in {suspended}, and "
                    "reinstated by court order from {reinstated} to {ended}, under which asylum seekers who arrived "
                    "at the southern border were sent back to Mexico to wait for their U.S. immigration court "
                    "hearings. Returns went through San Ysidro (to Tijuana), Calexico (Mexicali), El Paso (Ciudad "
                    "Juárez), Laredo (Nuevo Laredo), Brownsville (Matamoros), Eagle Pass (Piedras Negras) and "
                    "Nogales.")


def mpp_dates(data):
    """The dates of MPP's first return, suspension, reinstatement and end in the release (None when it lacks one)."""
    events = data.table(POLICY_EVENTS) if data is not None else None
    dates = [event_date(events, e) for e in (MPP_FIRST_RETURN_EVENT, MPP_SUSPENDED_EVENT, MPP_REINSTATED_EVENT,
                                              MPP_ENDED_EVENT)]
    return None if any(d is None for d in dates) else dates


def layout(**query):
    data = data_access.current()
    cites = citations(data)
    release = data.id if data else _("none yet")
    inegi = (" (" + data.attribution(INEGI_HOMICIDES) + ")") if data is not None else ""
    definitions = html.Dl([
        *term(_("MPP (Migrant Protection Protocols, “Remain in Mexico”)"), mpp_definition(data)),
        *term(_("Encounters"),
              _("CBP's umbrella count: Border Patrol apprehensions plus Office of Field Operations inadmissibles plus "
                "expulsions. An encounter is an event, not a person: one person caught twice is two encounters.")),
        *term(_("Apprehensions"),
              _("People taken into custody by the U.S. Border Patrol between ports of entry, under Title 8. The "
                "historical series (FY1960–2019) counts apprehensions only.")),
        *term(_("Inadmissibles"),
              _("People who present themselves at a port of entry and are found inadmissible by the Office of Field "
                "Operations.")),
        *term(_("Expulsions"),
              _("People expelled to Mexico or their home country under Title 42, without an immigration proceeding "
                "(March 2020 to May 2023).")),
        *term(_("Title 8 and Title 42"),
              _("Title 8 of the U.S. Code is immigration law: apprehensions and inadmissibles, with removal "
                "proceedings. Title 42 is public-health law, invoked during COVID-19 to expel people quickly. "
                "CBP reports encounters under each title separately.")),
        *term(_("INEGI homicides"),
              _("Deaths registered as homicides on death certificates{source}, counted by the municipality and "
                "month where the death occurred. They count victims who died, whatever the crime was recorded "
                "as.").format(source=inegi)),
        *term(_("SESNSP victims"),
              _("Victims in crimes reported to the state prosecutors (fuero común), by state and month of the "
                "report, compiled by the Executive Secretariat of the National Public Security System. They count "
                "reported crimes, so they depend on what is reported and how it is classified; they are not "
                "comparable one to one with INEGI's death certificates.")),
    ], className="defs")
    metrics = html.Dl([x for m in METRIC_LABELS
                       for x in term(f"{_(METRIC_LABELS[m])} ({m})", _(METRIC_MEANINGS.get(m, "")))],
                      className="defs")
    caveats = html.Ul([
        html.Li(_("{sector_table} rounds its Border Patrol encounter counts to the nearest 10; those rows are "
                  "flagged is_rounded, and sums of them are only approximate.").format(
            sector_table=credit(data, OHSS_ENCOUNTERS, _("The sector table")))),
        html.Li(_("U.S. fiscal years run from October to September: fiscal year 2020 is October 2019 to September "
                  "2020. Monthly series here are shown by calendar month.")),
        html.Li(_("MPP figures come with different definitions, never added together or drawn as one series: people "
                  "returned to Mexico through a port of entry (as counted by DHS); MPP immigration court cases by "
                  "hearing location (as counted by TRAC from court records — placed at the U.S. port or court, not "
                  "at a Mexican city); and entries of returned people recorded by Mexico's National Migration "
                  "Institute (INM).")),
        html.Li(_("Official MPP enrolments (MPP & reported figures, Compare cities, the map, the Overview's first "
                  "card) are the people CBP enrolled in MPP each month at a Border Patrol sector or a port's field "
                  "office, as its MPP statistics pages print them: processed there, not people in a Mexican city. A "
                  "sector covers more than the city paired with it, and two cities can share one: they show the "
                  "same count, said to be shared, never added. CBP's pages start in January 2020 (MPP began in "
                  "January 2019): earlier months have no official table here and are left blank, not zero. CBP "
                  "published one page per fiscal year and the pages overlap: each month is taken from one page (the "
                  "one covering most of that fiscal year), never added. Where CBP's printed total disagrees with its "
                  "own rows, both are kept; the charts draw the rows and say what CBP printed. Official counts lead; "
                  "reported figures stand beside them as a different kind of figure.")),
        html.Li(_("Reported figures carry their qualifier: “more than 55,000” is a lower bound and is drawn as one; "
                  "“about 13,000” is approximate; “an estimate of 18,000” is a figure the report calls an estimate. "
                  "A figure a report gives without saying who counted says so in its definition.")),
        html.Li(_("{incidents} and {examiner} count many of the same deaths in southern Arizona; the two datasets "
                  "are shown side by side, never added.").format(
            incidents=credit(data, IOM_SOURCE, _("The incidents")),
            examiner=credit(data, PCOME_SOURCE, _("the medical examiner")))),
        html.Li(_("Population (for rates per 100,000 residents) comes from CONAPO's municipal projections, not a "
                  "census count; rates use the mid-year projection for the year.")),
        html.Li(_("Each dataset ends where its publisher's file ends (see “What this release covers”): later "
                  "months have no data here and are shown as no data, not as zero.")),
        html.Li(_("Missing data is shown as “no data” with the reason, never as zero. Encounter datasets from "
                  "different publisher files overlap and are only summed within one dataset.")),
    ])
    cite_items = [html.Li([html.Strong(c["publisher"]), ": ", c["citation"], " ",
                           components.source_link(_("(source)"), c["url"])]) for c in cites]
    licence_rows = [html.Tr([html.Td(c["publisher"]), html.Td(html.Code(c["id"])), html.Td(c["licence"])])
                    for c in cites]
    # who publishes each source, as the source lines say it (in the page's language: the registry's attribution_es)
    sources = ("; ".join(dict.fromkeys(data.attribution(c["id"]) for c in cites)) + ".") if cites else \
        _("none in this release yet.")
    return components.page(
        _(PAGE),
        _("What this dashboard is, what its numbers mean, what to watch out for, and how to cite it."),
        html.Section([
            html.H2(_("What this is")),
            html.P(_("An open-source dashboard of U.S.–Mexico border migration statistics. It sets side by side the "
                     "numbers that describe the Mexican border cities where the United States sent asylum seekers "
                     "to wait under MPP: how many people were sent to each city, how violent each city was, and how "
                     "many people crossed or died crossing nearby.")),
            html.P(_("Its data come from official statistical files and from figures reported in news and NGO "
                     "reports, each kept with its qualifier, definition, date and quote. A scheduled job refreshes "
                     "the data from the publishers; every table records the publisher, address, retrieval time and "
                     "checksum of the file it came from. The sources: {sources}").format(sources=sources)),
            html.P([_("Current data release:"), " ", html.Code(release), ". ",
                    _("Tables, field definitions and source status:"), " ",
                    dcc.Link(_("Data & sources"), href=i18n.href("/data")), "."]),
        ]),
        html.Section([html.H2(_("What this release covers")), *coverage(data)]),
        html.Section([html.H2(_("Definitions")), definitions]),
        html.Section([html.H2(_("What each reported-figure metric means")), metrics]),
        html.Section([
            html.H2(_("Which reported figure leads")),
            html.P(_("Where several reported figures count the same thing for the same place (people sent to Ciudad "
                     "Juárez under MPP, say), a card, a table cell, a map value or a headline shows one, chosen by "
                     "one rule from who counted it and how the cited page carries it:")),
            html.Ol([html.Li(capitalised(_(words))) for _tier, words in sorted(lead.TIERS.items())]),
            html.P(_("A republication ranks last whatever it copies: a copy cannot be checked against the original’s "
                     "date, context or later corrections. A report that names no counter ranks below a named NGO "
                     "or advocate, whose figure can at least be traced to who made it. Within a tier the newest "
                     "figure leads: the date it describes (as of, else the end of its period), else the date it was "
                     "published; a figure with none of these ranks after the dated ones. The others stay listed, "
                     "each with the reason it did not lead (Compare cities, the map, MPP & reported figures).")),
        ]),
        html.Section([html.H2(_("Caveats")), caveats]),
        html.Section([
            html.H2(_("How to cite")),
            html.P(_("The dashboard:")),
            html.Blockquote(_("Border migration statistics dashboard (borderstats), data release {release}. "
                              "Open source; each figure cites its own source.").format(release=release),
                            className="cite"),
            html.P(_("And each source you use, as its publisher asks (for a publisher's file, the date is when the "
                     "file in the current release was retrieved; the tables curated in this repository give each "
                     "figure's publication date instead):")),
            html.Ul(cite_items, className="citations"),
            # the link sits inside the sentence: its two halves are translated as a pair (comments in the .po)
            html.P([_("Charts exported from the dashboard carry their own source line; see the"), " ",
                    dcc.Link(_("MPP & reported figures"), href=i18n.href("/reported")), " ",
                    _("page for each report's publisher, date and address.")]),
        ]),
        html.Section([
            html.H2(_("Data licences")),
            html.Div(html.Table([
                html.Thead(html.Tr([html.Th(h, scope="col")
                                    for h in (_("Publisher"), _("Source id"), _("Licence or terms"))])),
                html.Tbody(licence_rows),
            ], className="data"), className="table-wrap", tabIndex="0", role="region",
                **{"aria-label": _("Licences")}),
            html.P(_("The code is open source; the curated tables (reported figures, policy events) are CC BY 4.0."),
                   className="muted"),
        ]),
    )


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
