"""The table contract: every field defined once, every table a list of fields and a key.

From these definitions come the pandera schemas that validate each table
(:mod:`etl.validate`) and the Frictionless Table Schemas in each release's
``datapackage.json`` (:mod:`etl.datapackage`, written by :mod:`etl.pipeline` and
:mod:`etl.warehouse`, checked with frictionless by :mod:`etl.checks`).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # frictionless: string, integer, number, boolean, date, datetime
    description: str
    unit: str | None = None
    required: bool = False  # no missing values
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] | None = None
    pattern: str | None = None  # a regular expression every non-empty value matches in full
    # an open vocabulary that must still hold no value of these fields' closed vocabularies (a citizenship of
    # "Single Adults" is a value from another column)
    disjoint_from: tuple[str, ...] = ()


def _f(name, type_, description, **kw) -> Field:
    return Field(name, type_, description, **kw)


# Closed vocabularies: the values a categorical field may hold, read from the publishers' files and their
# documentation (an empty value means "the layout has no such dimension" and is always allowed where the field is
# optional). A value outside its set is refused at validation with the unknown values listed, so that a file
# whose columns were swapped or shifted (countries as encounter types) never reaches a release.
COMPONENTS = (  # CBP's two components, as its encounters files write them (Component)
    "U.S. Border Patrol", "Office of Field Operations")
REGIONS = (  # CBP "Land Border Region": the Southwest file's fixed region; the nationwide files' regions
    "Southwest Land Border", "Northern Land Border", "Coastal Border", "Other")
TITLES_OF_AUTHORITY = ("Title 8", "Title 42")  # CBP "Title of Authority"
ENCOUNTER_TYPES = ("Apprehensions", "Inadmissibles", "Expulsions")  # CBP "Encounter Type"
DEMOGRAPHICS = (
    # CBP encounters files (Demographic): single adults, individuals in a family unit (FMUA), unaccompanied
    # children (UAC; "UC / Single Minors" in the nationwide files), accompanied minors (OFO only)
    "Single Adults", "FMUA", "UAC", "UC / Single Minors", "Accompanied Minors",
    # CBP's MPP pages (re-apprehensions by category)
    "Single Adult",
    # U.S. Border Patrol monthly family and child apprehension tables (FY2000-2019)
    "Unaccompanied Children", "Family Units",
)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        _f("source_id", "string", "Id of the source in the registry (data/reference/sources.toml).", required=True),
        _f("dataset", "string", "The publisher's file layout the row came from, as declared in the sources registry (label, description and unit in each resource's datasets). Totals are only summed within one dataset.", required=True),
        _f("place_id", "string", "Canonical place id: INEGI 2-digit state or 5-digit municipality code; US-SEC-/US-POE-/US-FO- ids for U.S. places; empty where a reported figure names no place."),
        _f("month", "date", "First day of the calendar month."),
        _f("year", "integer", "Calendar year.", minimum=1900, maximum=2100),
        _f("fiscal_year", "integer", "U.S. federal fiscal year (October of the previous year to September).", minimum=1900, maximum=2100),
        _f("count", "integer", "Number of encounters or events.", unit="people", minimum=0),
        _f("is_rounded", "boolean", "True where the publisher rounded the value (the dataset's description in the registry says how)."),
        _f("component", "string", "CBP component: U.S. Border Patrol or Office of Field Operations; empty where the layout has none.",
           enum=COMPONENTS),
        _f("region", "string", "CBP land border region (Southwest Land Border, Northern Land Border, Coastal Border, Other).",
           enum=REGIONS),
        _f("area_id", "string", "Place id of the Border Patrol sector, field office or state; empty for border-wide rows."),
        _f("area_name", "string", "Area name as the publisher wrote it."),
        _f("citizenship", "string", "Citizenship or citizenship group as published (an open list: CBP adds groups; never a "
           "value of the component, demographic, title of authority or encounter type lists).",
           disjoint_from=("component", "demographic", "title_of_authority", "encounter_type")),
        _f("demographic", "string", "Demographic group as published (Single Adults, FMUA, UAC, Accompanied Minors...).",
           enum=DEMOGRAPHICS),
        _f("title_of_authority", "string", "Legal authority of the encounter: Title 8 or Title 42.", enum=TITLES_OF_AUTHORITY),
        _f("encounter_type", "string", "Apprehensions, Inadmissibles or Expulsions.", enum=ENCOUNTER_TYPES),
        _f("deaths", "integer", "Deaths recorded by the U.S. Border Patrol.", unit="people", minimum=0),
        _f("population", "integer", "Mid-year population.", unit="people", minimum=0),
        _f("incident_id", "string", "Publisher's id of the incident or case.", required=True),
        _f("date", "date", "Date of the incident, or of the report where the publisher dates reports (see the dataset's description)."),
        _f("lat", "number", "Latitude, WGS84.", unit="degrees", minimum=-90, maximum=90),
        _f("lon", "number", "Longitude, WGS84.", unit="degrees", minimum=-180, maximum=180),
        _f("dead", "integer", "Number of dead.", unit="people", minimum=0),
        _f("missing", "integer", "Minimum estimated number of missing.", unit="people", minimum=0),
        _f("cause", "string", "Cause of death as published."),
        _f("nearest_place_id", "string", "Nearest border city of the gazetteer."),
        _f("distance_km", "number", "Great-circle distance to the nearest border city.", unit="km", minimum=0),
        _f("crime", "string", "Crime type as published (tipo de delito)."),
        _f("subtype", "string", "Crime subtype as published (subtipo de delito)."),
        _f("modality", "string", "Modality as published (modalidad)."),
        _f("sex", "string", "Sex of the victims as published (Hombre, Mujer, No identificado)."),
        _f("age_band", "string", "Age band of the victims as published."),
        _f("victims", "integer", "Number of victims.", unit="people", minimum=0),
        _f("name", "string", "Display name with accents.", required=True),
        _f("name_ascii", "string", "Name without accents, for search."),
        _f("kind", "string", "Kind of place.", required=True,
           enum=("country", "state", "municipality", "sector", "field_office", "port", "region")),
        _f("country", "string", "ISO 3166-1 alpha-2 country code.", enum=("MX", "US")),
        _f("admin1", "string", "State (Mexican estado or U.S. state)."),
        _f("admin1_code", "string", "INEGI 2-digit state code or USPS state code."),
        _f("population_2020", "integer", "2020 mid-year population from the population table, where a population source is loaded.", unit="people", minimum=0),
        _f("us_port", "string", "Place id of the paired U.S. port of entry."),
        _f("us_sector_id", "string", "Place id of the paired U.S. Border Patrol sector."),
        _f("field_office_id", "string", "For a U.S. port of entry: place id of the CBP Office of Field Operations "
           "field office it belongs to (how a border city finds its paired field office, through its paired port)."),
        _f("field_office_source", "string", "Where a port's field_office_id comes from (a CBP page or release)."),
        _f("coord_source", "string", "Where the coordinates come from."),
        _f("border_order", "integer", "Position of a Mexican border municipality along the border, 1 (Tijuana, "
           "westernmost) to 13 (Matamoros, easternmost), by longitude; empty for every other place.",
           minimum=1, maximum=13),
        _f("mpp_city", "boolean", "True for the border municipalities that received people returned under the "
           "Migrant Protection Protocols (MPP: Tijuana, Mexicali, Ciudad Juárez, Nuevo Laredo, Matamoros, Piedras "
           "Negras, Nogales); false for the other border municipalities; empty for every other place."),
        _f("short_name", "string", "Name of a border municipality as charts and tables show it; empty for other places."),
        _f("colour", "string", "The one colour of a border municipality on every chart, page, export and embed "
           "(#RRGGBB; each city its own, whatever else is selected). From colour-blind-safe qualitative palettes: "
           "Paul Tol's 'muted' scheme (nine colours) and four of the Okabe-Ito colours (blue #0072B2, "
           "vermillion #D55E00, orange #E69F00, black #000000). Sources: Paul Tol, 'Colour Schemes', SRON "
           "technical note SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/ ; M. Okabe and K. Ito, 'Color "
           "Universal Design' (2008), https://jfly.uni-koeln.de/color/ , as republished by B. Wong, 'Points of view: "
           "Color blindness', Nature Methods 8, 441 (2011), doi:10.1038/nmeth.1618. Empty for other places.",
           pattern=r"^#[0-9A-Fa-f]{6}$"),
        _f("label_position", "string", "Where the map writes a border municipality's name beside its marker, so that "
           "neighbours do not overprint each other; empty for other places.",
           enum=("top left", "top center", "top right", "middle left", "middle center", "middle right",
                 "bottom left", "bottom center", "bottom right")),
        _f("default_compare", "integer", "Position of a border municipality in the Compare page's default "
           "selection (1 first); empty for the places not selected by default.", minimum=1, maximum=6),
        # MPP statistics pages (cbp_mpp)
        _f("totals_reconcile", "boolean", "False where the publisher's printed total for this row's month (fiscal "
           "year, for fear referrals) differs from the sum of the rows it totals: the rows are published as printed, "
           "the disagreement is kept (mpp_enrollment_totals, the source's notes) and shown, never corrected."),
        _f("total_label", "string", "The total row as printed (USBP Monthly Enrollment Total, OFO Monthly Enrollment "
           "Total, CBP Total).", required=True),
        _f("printed_total", "integer", "The total as the publisher printed it (empty where the page leaves it empty "
           "while cells it totals are filled).", unit="people", minimum=0),
        _f("sum_of_parts", "integer", "The sum of the published rows that total covers.", unit="people", minimum=0),
        # sources table
        _f("publisher", "string", "Publisher of the source.", required=True),
        _f("title", "string", "Title of the source."),
        _f("url", "string", "Where the data was retrieved from."),
        _f("licence", "string", "Licence or terms of use."),
        _f("retrieved_at", "datetime", "When the files in this release were retrieved (UTC)."),
        _f("sha256", "string", "SHA-256 of the retrieved file(s), as published (before any redaction)."),
        _f("rows", "integer", "Rows this source contributes to the release.", minimum=0),
        _f("status", "string", "Status of the source in this release.",
           enum=("ok", "unchanged", "stale", "failed", "missing")),
        _f("error", "string", "Last refresh error for this source, if any."),
        # reported figures (issue 3)
        _f("figure_id", "string", "Stable id of the reported figure.", required=True),
        _f("metric", "string", "What the figure counts.", required=True),
        _f("value", "number", "The reported number.", minimum=0),
        _f("qualifier", "string", "How the number was qualified in the report.", required=True,
           enum=("exact", "approximately", "more_than", "at_least", "less_than", "up_to", "estimate")),
        _f("counted_by", "string", "Who counted: dhs_cbp (the U.S. Department of Homeland Security or CBP), "
           "eoir_via_trac (immigration court records analysed by TRAC), inm (Mexico's National Migration "
           "Institute), mexican_authority (another Mexican federal or state authority), municipal_government, ngo "
           "(a non-governmental organisation or advocate), news_organisation (the news organisation's own count), "
           "unknown (the report names no counter).", required=True,
           enum=("dhs_cbp", "eoir_via_trac", "inm", "mexican_authority", "municipal_government", "ngo",
                 "news_organisation", "unknown")),
        _f("report_kind", "string", "What the cited publication is: primary (the counting body's own publication), "
           "secondary (another body's report of the figure: it names who counted, or counted_by is unknown), "
           "republication (a copy of another report).", required=True,
           enum=("primary", "secondary", "republication")),
        _f("place_ids", "string", "For a figure that covers several places together (and no single one): their place "
           "ids, separated by ';'. Empty otherwise; then place_id (or nothing, for a border-wide figure) says where.",
           pattern=r"^[0-9A-Z][0-9A-Z-]*(;[0-9A-Z][0-9A-Z-]*)+$"),
        _f("period_start", "date", "First day of the period the figure covers."),
        _f("period_end", "date", "Last day of the period the figure covers."),
        _f("as_of", "date", "Date the figure describes the situation at."),
        _f("definition", "string", "What was counted and by whom."),
        _f("published", "date", "Publication date of the report."),
        _f("quote", "string", "Shortest span of the report that carries the number."),
        _f("notes", "string", "Notes."),
        # revisions (the history of revised values, carried from release to release)
        _f("revised_table", "string", "Table of the revised value.", required=True),
        _f("row_key", "string", "The revised row's primary key in that table, as a JSON object (column: value, in "
           "key order; dates as YYYY-MM-DD).", required=True),
        _f("value_column", "string", "The column of the revised value (count, population, dead...).", required=True),
        _f("revision", "integer", "0 for the value as first published (as the release before the first revision "
           "held it), then 1, 2... for each later value.", minimum=0),
        _f("release_id", "string", "The release that published this value.", required=True),
        _f("released", "datetime", "When that release was published (UTC)."),
        _f("revised_value", "number", "The value as that release published it (empty: withdrawn)."),
        # policy events
        _f("event_id", "string", "Stable id of the policy event.", required=True),
        _f("end_date", "date", "Last day of the event, for events that last (empty for a single day)."),
        _f("event", "string", "Short label of the event, as drawn on charts.", required=True),
        _f("description", "string", "What happened."),
    ]
}


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    # extra per-table overrides of field definitions (e.g. a field required here)
    required: tuple[str, ...] = field(default_factory=tuple)

    def field_defs(self) -> list[Field]:
        return [FIELDS[f] for f in self.fields]


ENCOUNTER_DIMENSIONS = (
    "component", "region", "area_id", "area_name", "citizenship", "demographic",
    "title_of_authority", "encounter_type",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "places",
            "Gazetteer: Mexican states and municipalities, U.S. Border Patrol sectors, field offices and ports.",
            ("place_id", "name", "name_ascii", "kind", "country", "admin1", "admin1_code", "lat", "lon",
             "population_2020", "us_port", "us_sector_id", "field_office_id", "field_office_source", "coord_source", "border_order", "mpp_city", "short_name",
             "colour", "label_position", "default_compare", "dataset", "source_id"),
            ("place_id",),
        ),
        Table(
            "encounters",
            "Monthly encounters (apprehensions, inadmissibles, expulsions) by dataset. "
            "Dimension columns are empty where a layout lacks them; totals are only summed within one dataset.",
            ("dataset", "month", "fiscal_year", *ENCOUNTER_DIMENSIONS, "count", "is_rounded", "source_id"),
            ("dataset", "month", *ENCOUNTER_DIMENSIONS),
            required=("month", "fiscal_year", "count", "is_rounded"),
        ),
        Table(
            "apprehensions_annual",
            "U.S. Border Patrol Southwest border apprehensions by sector and fiscal year (historical tables).",
            ("dataset", "fiscal_year", "area_id", "area_name", "count", "source_id"),
            ("dataset", "fiscal_year", "area_id"),
            required=("fiscal_year", "area_id", "count"),
        ),
        Table(
            "sector_deaths",
            "Deaths recorded by the U.S. Border Patrol by Southwest border sector and fiscal year.",
            ("dataset", "fiscal_year", "area_id", "area_name", "deaths", "source_id"),
            ("dataset", "fiscal_year", "area_id"),
            required=("fiscal_year", "area_id", "deaths"),
        ),
        Table(
            "homicides",
            "Homicides by municipality or state and month of occurrence (death certificates).",
            ("dataset", "place_id", "month", "count", "source_id"),
            ("dataset", "place_id", "month"),
            required=("month", "count"),
        ),
        Table(
            "population",
            "Mid-year population by municipality and year (projections).",
            ("dataset", "place_id", "year", "population", "source_id"),
            ("dataset", "place_id", "year"),
            required=("year", "population"),
        ),
        Table(
            "migrant_deaths",
            "Migrant deaths and disappearances, one row per incident or case, one dataset per source (see each "
            "dataset's description). The datasets overlap (one counts many of the same Arizona deaths as another), "
            "so never add two datasets.",
            ("dataset", "incident_id", "date", "lat", "lon", "dead", "missing", "cause", "nearest_place_id",
             "distance_km", "source_id"),
            ("dataset", "incident_id"),
            required=("dead", "missing"),
        ),
        Table(
            "crime_victims",
            "Victims of crimes under state jurisdiction (fuero común) by state and month.",
            ("dataset", "place_id", "month", "crime", "subtype", "modality", "sex", "age_band", "victims", "source_id"),
            ("dataset", "place_id", "month", "crime", "subtype", "modality", "sex", "age_band"),
            required=("month", "victims"),
        ),
        Table(
            "reported_figures",
            "Figures from news and NGO reports, each with its qualifier, definition, source and quote.",
            ("figure_id", "metric", "value", "qualifier", "place_id", "place_ids", "period_start", "period_end", "as_of",
             "definition", "counted_by", "report_kind", "publisher", "title", "url", "published", "quote", "notes",
             "source_id"),
            ("figure_id",),
            required=("value", "url"),
        ),
        Table(
            "policy_events",
            "Policy events drawn on the time axis (MPP, Title 42), each with its source.",
            ("event_id", "date", "end_date", "event", "description", "place_id", "publisher", "title", "url",
             "published", "source_id"),
            ("event_id",),
            required=("date", "url", "publisher"),
        ),
        Table(
            "mpp_enrollments",
            "People enrolled in the Migrant Protection Protocols (MPP, 'Remain in Mexico') by month and by the U.S. "
            "Border Patrol sector or CBP field office that processed them, as printed on CBP's MPP statistics pages "
            "(one dataset per page; pages overlap, so never add two datasets). Enrolments processed at a sector or "
            "port, not people in a Mexican city.",
            ("dataset", "month", "fiscal_year", "component", "place_id", "area_name", "count", "totals_reconcile",
             "source_id"),
            ("dataset", "month", "place_id"),
            required=("month", "fiscal_year", "component", "count", "totals_reconcile"),
        ),
        Table(
            "mpp_enrollment_totals",
            "The monthly totals CBP prints under its MPP enrolment table (USBP, OFO, CBP), each beside the sum of the "
            "rows it totals: where they differ both are kept and the month is flagged.",
            ("dataset", "month", "fiscal_year", "total_label", "printed_total", "sum_of_parts", "totals_reconcile",
             "source_id"),
            ("dataset", "month", "total_label"),
            required=("month", "fiscal_year", "sum_of_parts", "totals_reconcile"),
        ),
        Table(
            "mpp_reapprehensions",
            "Individuals apprehended entering the U.S. without inspection after being returned to Mexico through MPP, "
            "by month and category (Single Adult, UAC, FMUA), as printed on CBP's MPP statistics pages (one dataset "
            "per page; never add two datasets).",
            ("dataset", "month", "fiscal_year", "demographic", "count", "totals_reconcile", "source_id"),
            ("dataset", "month", "demographic"),
            required=("month", "fiscal_year", "count", "totals_reconcile"),
        ),
        Table(
            "mpp_fear_referrals",
            "MPP cases referred to USCIS for a fear assessment, by month, as printed on CBP's MPP statistics pages "
            "(data provided by USCIS; one dataset per page; never add two datasets).",
            ("dataset", "month", "fiscal_year", "count", "totals_reconcile", "source_id"),
            ("dataset", "month"),
            required=("month", "fiscal_year", "count", "totals_reconcile"),
        ),
        Table(
            "revisions",
            "Every revised figure with its history: the value as first published and each later value, with the "
            "release that published it and when. Carried from release to release; a row per value and release.",
            ("revised_table", "row_key", "value_column", "revision", "release_id", "released", "revised_value"),
            ("revised_table", "row_key", "value_column", "release_id"),
            required=("revision",),
        ),
        Table(
            "sources",
            "Every source in the registry with the provenance of its data in this release.",
            ("source_id", "publisher", "title", "url", "licence", "retrieved_at", "sha256", "rows", "status", "error"),
            ("source_id",),
        ),
    ]
}


def empty_frame(table: str):
    """An empty frame with the table's columns and dtypes."""
    import pandas as pd

    return pd.DataFrame({f.name: pd.Series(dtype=PANDAS_DTYPES[f.type]) for f in TABLES[table].field_defs()})


PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
    "datetime": "string",
}


def conform(df, table: str):
    """Columns of `table` in contract order and dtypes; missing optional columns are added empty.

    Extra columns (other than the internal ``_line``) are an error: an adapter
    must not leak a column (say, a name) into a published table.
    """
    import pandas as pd

    spec = TABLES[table]
    extra = [c for c in df.columns if c not in spec.fields and not c.startswith("_")]
    if extra:
        raise ValueError(f"table {table}: columns outside the contract: {', '.join(extra)}")
    out = {}
    for f in spec.field_defs():
        dtype = PANDAS_DTYPES[f.type]
        if f.name in df.columns:
            col = df[f.name]
            if f.type == "date":
                col = pd.to_datetime(col).astype("datetime64[ns]")
            elif f.type == "string":
                col = col.astype("string")
            else:
                col = col.astype(dtype)
        else:
            col = pd.Series(pd.NA if dtype != "datetime64[ns]" else pd.NaT, index=df.index, dtype=dtype)
        out[f.name] = col
    for c in df.columns:
        if c.startswith("_"):
            out[c] = df[c]
    return pd.DataFrame(out, index=df.index)
