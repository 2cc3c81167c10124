"""The dataset and source ids the dashboard relies on, in one place.

What each dataset and source *is* (label, description, unit, publisher, attribution, address) is not
here: it travels with the data, from data/reference/sources.toml into each release's manifest, and the
dashboard reads it through :mod:`dashboard.data_access`. These are only the names it asks for.
"""
from __future__ import annotations

# ---- source ids (data/reference/sources.toml)
CBP_ENCOUNTERS = "cbp_encounters"
OHSS_ENCOUNTERS = "ohss_usbp_encounters"
USBP_HISTORY = "usbp_history"
INEGI_HOMICIDES = "inegi_homicides"
CONAPO_POPULATION = "conapo_population"
IOM_SOURCE = "iom_missing_migrants"
PCOME_SOURCE = "pcome_remains"
MPP_SOURCE = "cbp_mpp"  # CBP's MPP statistics pages (official enrolments)
SESNSP_VICTIMS = "sesnsp_state_victims"
REPORTED_FIGURES = "reported_figures"
POLICY_EVENTS = "policy_events"

# ---- dataset ids (the `dataset` column; declared per source in the registry)
CBP_SOUTHWEST = "cbp_southwest"
CBP_NATIONWIDE_AOR = "cbp_nationwide_aor"
CBP_NATIONWIDE_STATE = "cbp_nationwide_state"
OHSS_SECTOR = "ohss_usbp_monthly_sector"
USBP_MONTHLY = "usbp_history_monthly"
USBP_FAMILY_CHILD = "usbp_history_monthly_family_child"
INEGI_MUNICIPAL = "inegi_municipal_month"
INEGI_STATE = "inegi_state_month"
CONAPO_PROJECTIONS = "conapo_municipal_projections"
IOM = "iom_us_mexico_border"
PCOME = "pcome_remains"

# The Encounters page's datasets, in the order its menu lists them.
ENCOUNTER_DATASETS = (CBP_SOUTHWEST, CBP_NATIONWIDE_AOR, CBP_NATIONWIDE_STATE, OHSS_SECTOR, USBP_MONTHLY,
                      USBP_FAMILY_CHILD)
# Which source each Encounters dataset comes from (the historical USBP tables carry their own caveat).
HISTORICAL_ENCOUNTERS = (USBP_MONTHLY, USBP_FAMILY_CHILD)

# The migrant-death layers (Map, Compare): layer key -> (dataset, source); never added together.
DEATH_DATASETS = {"iom": IOM, "pcome": PCOME}
DEATH_SOURCES = {"iom": IOM_SOURCE, "pcome": PCOME_SOURCE}

# ---- policy events the dashboard dates things by (data/reference/policy_events.csv, by event_id)
MPP_FIRST_RETURN_EVENT = "mpp-san-ysidro"
MPP_SUSPENDED_EVENT = "mpp-suspended"
MPP_REINSTATED_EVENT = "mpp-reinstated"
MPP_ENDED_EVENT = "mpp-ended"
