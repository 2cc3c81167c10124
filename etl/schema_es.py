"""Spanish titles for the table contract (etl/schema.py), written into datapackage.json beside the English
descriptions: each field's ``title_es``, each resource's ``title_es`` and ``description_es``, the package's
``title_es`` (Frictionless allows such added properties; the column names themselves never change).

Terms as Mexican newsrooms use them (issue 15): encuentros, aprehensiones, expulsiones (Título 42), inadmisibles,
Patrulla Fronteriza, Oficina de Operaciones de Campo (OFO), puerto de entrada, año fiscal, MPP («Quédate en
México»), homicidios (actas de defunción del INEGI), víctimas del fuero común (SESNSP). tests/test_datapackage.py
fails on a field or table without its Spanish title.
"""
from __future__ import annotations

PACKAGE_TITLE_ES = "Estadísticas de migración en la frontera México–Estados Unidos"

FIELD_TITLES_ES: dict[str, str] = {
    "source_id": "Id de la fuente",
    "dataset": "Conjunto de datos",
    "place_id": "Id del lugar",
    "month": "Mes",
    "year": "Año",
    "fiscal_year": "Año fiscal de EE. UU.",
    "count": "Número",
    "is_rounded": "Cifra redondeada",
    "component": "Componente de la CBP",
    "region": "Región fronteriza",
    "area_id": "Id del área",
    "area_name": "Nombre del área",
    "citizenship": "Ciudadanía",
    "demographic": "Grupo demográfico",
    "title_of_authority": "Fundamento legal (Título 8 o Título 42)",
    "encounter_type": "Tipo de encuentro (aprehensión, inadmisible o expulsión)",
    "deaths": "Muertes registradas por la Patrulla Fronteriza",
    "population": "Población a mitad de año",
    "incident_id": "Id del incidente o caso",
    "date": "Fecha",
    "lat": "Latitud",
    "lon": "Longitud",
    "dead": "Número de muertos",
    "missing": "Número mínimo estimado de desaparecidos",
    "cause": "Causa de muerte",
    "nearest_place_id": "Ciudad fronteriza más cercana",
    "distance_km": "Distancia a la ciudad fronteriza más cercana (km)",
    "crime": "Tipo de delito",
    "subtype": "Subtipo de delito",
    "modality": "Modalidad",
    "sex": "Sexo de las víctimas",
    "age_band": "Grupo de edad de las víctimas",
    "victims": "Número de víctimas",
    "name": "Nombre",
    "name_ascii": "Nombre sin acentos",
    "kind": "Tipo de lugar",
    "country": "País (código ISO 3166-1)",
    "admin1": "Estado",
    "admin1_code": "Clave del estado",
    "population_2020": "Población a mitad de 2020",
    "us_port": "Puerto de entrada de EE. UU. correspondiente",
    "us_sector_id": "Sector de la Patrulla Fronteriza correspondiente",
    "field_office_id": "Oficina de campo de la Oficina de Operaciones de Campo (OFO)",
    "field_office_source": "Fuente de la oficina de campo",
    "coord_source": "Fuente de las coordenadas",
    "border_order": "Posición a lo largo de la frontera (de oeste a este)",
    "mpp_city": "Ciudad receptora de personas devueltas por MPP («Quédate en México»)",
    "short_name": "Nombre corto",
    "colour": "Color en las gráficas",
    "label_position": "Posición de la etiqueta en el mapa",
    "default_compare": "Posición en la comparación predeterminada",
    "totals_reconcile": "El total impreso coincide con la suma",
    "total_label": "Fila del total, tal como se imprimió",
    "printed_total": "Total impreso por la fuente",
    "sum_of_parts": "Suma de las filas publicadas",
    "publisher": "Institución que publica",
    "title": "Título de la fuente",
    "url": "Dirección de descarga",
    "licence": "Licencia o términos de uso",
    "retrieved_at": "Fecha de consulta (UTC)",
    "sha256": "SHA-256 del archivo",
    "rows": "Filas",
    "status": "Estado de la fuente en esta publicación",
    "error": "Último error de actualización",
    "figure_id": "Id de la cifra",
    "metric": "Qué cuenta la cifra",
    "value": "Cifra reportada",
    "qualifier": "Calificativo (más de, alrededor de, al menos, estimación…)",
    "counted_by": "Quién contó",
    "report_kind": "Tipo de publicación (primaria o secundaria)",
    "place_ids": "Ids de los lugares",
    "period_start": "Inicio del periodo",
    "period_end": "Fin del periodo",
    "as_of": "Fecha de corte",
    "definition": "Definición",
    "published": "Fecha de publicación",
    "quote": "Cita textual",
    "notes": "Notas",
    "revised_table": "Tabla de la cifra revisada",
    "row_key": "Clave de la fila revisada",
    "value_column": "Columna de la cifra revisada",
    "revision": "Número de revisión",
    "release_id": "Id de la publicación de datos",
    "released": "Fecha de la publicación de datos (UTC)",
    "revised_value": "Cifra publicada en esa versión",
    "event_id": "Id del suceso",
    "end_date": "Fecha de fin",
    "event": "Suceso",
    "description": "Qué ocurrió",
}

TABLE_TEXT_ES: dict[str, tuple[str, str]] = {  # name: (title, description)
    "places": ("Lugares", "Nomenclátor: estados y municipios de México; sectores de la Patrulla Fronteriza, oficinas "
                          "de campo y puertos de entrada de EE. UU."),
    "encounters": ("Encuentros", "Encuentros mensuales (aprehensiones, inadmisibles, expulsiones) por conjunto de "
                                 "datos. Las columnas de dimensión quedan vacías donde un formato no las tiene; los "
                                 "totales solo se suman dentro de un mismo conjunto de datos."),
    "apprehensions_annual": ("Aprehensiones anuales", "Aprehensiones de la Patrulla Fronteriza en la frontera "
                                                      "suroeste por sector y año fiscal (tablas históricas)."),
    "sector_deaths": ("Muertes por sector", "Muertes registradas por la Patrulla Fronteriza por sector de la "
                                            "frontera suroeste y año fiscal."),
    "homicides": ("Homicidios", "Homicidios por municipio o estado y mes de ocurrencia (actas de defunción)."),
    "population": ("Población", "Población a mitad de año por municipio y año (proyecciones)."),
    "migrant_deaths": ("Migrantes muertos y desaparecidos", "Muertes y desapariciones de migrantes, una fila por "
                       "incidente o caso, un conjunto de datos por fuente (vea la descripción de cada uno). Los "
                       "conjuntos se traslapan (uno cuenta muchas de las mismas muertes en Arizona que otro): nunca "
                       "sume dos conjuntos de datos."),
    "crime_victims": ("Víctimas de delitos del fuero común", "Víctimas de delitos del fuero común por estado y mes."),
    "reported_figures": ("Cifras reportadas", "Cifras de informes de prensa y de organizaciones civiles, cada una con "
                                              "su calificativo, definición, fuente y cita."),
    "policy_events": ("Sucesos de política", "Sucesos de política migratoria marcados en el eje del tiempo (MPP, "
                                             "Título 42), cada uno con su fuente."),
    "mpp_enrollments": ("Inscripciones en MPP", "Personas inscritas en los Protocolos de Protección a Migrantes (MPP, "
                        "«Quédate en México») por mes y por el sector de la Patrulla Fronteriza o la oficina de campo "
                        "de la CBP que las procesó, tal como las imprimen las páginas de estadísticas de MPP de la CBP "
                        "(un conjunto de datos por página; las páginas se traslapan: nunca sume dos conjuntos). "
                        "Inscripciones procesadas en un sector o puerto, no personas en una ciudad mexicana."),
    "mpp_enrollment_totals": ("Totales de inscripciones en MPP", "Los totales mensuales que la CBP imprime bajo su "
                              "tabla de inscripciones en MPP (USBP, OFO, CBP), cada uno junto a la suma de las filas "
                              "que totaliza: donde difieren se conservan ambos y el mes queda marcado."),
    "mpp_reapprehensions": ("Reaprehensiones de MPP", "Personas aprehendidas al entrar a EE. UU. sin inspección "
                            "después de haber sido devueltas a México por MPP, por mes y categoría (adultos solos, "
                            "niñas, niños y adolescentes no acompañados, unidades familiares), tal como las imprimen "
                            "las páginas de estadísticas de MPP de la CBP (un conjunto de datos por página; nunca sume "
                            "dos conjuntos)."),
    "mpp_fear_referrals": ("Casos de MPP remitidos por temor", "Casos de MPP remitidos al USCIS para una evaluación "
                           "de temor, por mes, tal como los imprimen las páginas de estadísticas de MPP de la CBP "
                           "(datos proporcionados por el USCIS; un conjunto de datos por página; nunca sume dos "
                           "conjuntos)."),
    "revisions": ("Revisiones", "Cada cifra revisada con su historia: el valor publicado por primera vez y cada valor "
                                "posterior, con la publicación de datos que lo publicó y cuándo. Se conserva de una "
                                "publicación a otra; una fila por valor y publicación."),
    "sources": ("Fuentes", "Cada fuente del registro con la procedencia de sus datos en esta publicación."),
}
