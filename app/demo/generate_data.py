"""Text templates and starter data of the benchmark generator (`app.demo.generate`).

Words per language for generated names and descriptions, seller name parts and cities, and a
minimal set of categories, colours and device families for an empty database.
"""

PREFIX = "gen-"          # every generated key starts with it
CURRENCIES = ("EUR", "GBP", "USD")

REGIONS = {"FR": "EU", "BE": "EU", "ES": "EU", "DE": "EU", "IT": "EU", "GB": "GB", "US": "US"}
# Share of sellers per country (weight), its cities, and the two halves of a workshop's name.
SELLER_COUNTRIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "FR": (20, ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Rennes"),
           ("Atelier", "Recyclerie", "Labo", "Comptoir"),
           ("Phénix", "Seconde Vie", "Renouveau", "Circuit")),
    "BE": (8, ("Bruxelles", "Antwerpen", "Gent", "Liège", "Namur", "Leuven"),
           ("Herstelwerk", "Atelier", "Refurb", "Werkplaats"),
           ("Zinneke", "Meuse", "Nieuw Leven", "Circuit")),
    "ES": (12, ("Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao"),
           ("Taller", "Reacondicionados", "Electro", "Laboratorio"),
           ("Segunda Vida", "Turia", "Circuito", "Renace")),
    "DE": (20, ("Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Leipzig", "Stuttgart", "Dresden"),
           ("Werkstatt", "Technik", "Aufbereitung", "Werkbank"),
           ("Kreislauf", "Neustart", "Zweitleben", "Klangwerk")),
    "IT": (12, ("Milano", "Roma", "Torino", "Napoli", "Bologna", "Firenze", "Genova"),
           ("Officina", "Laboratorio", "Bottega", "Elettronica"),
           ("Rinascita", "Rigenera", "Seconda Vita", "Circuito")),
    "GB": (14, ("London", "Manchester", "Bristol", "Glasgow", "Birmingham", "Leeds", "Edinburgh"),
           ("Workshop", "Repair Collective", "Refurb Co", "Mend"),
           ("Second Spin", "Thameside", "Circuit", "Kettle")),
    "US": (14, ("New York", "Austin", "Seattle", "Chicago", "Oakland", "Pittsburgh", "Denver", "Atlanta"),
           ("Refurbishers", "Electronics", "Repair Works", "Recircuit"),
           ("Rust Belt", "Lone Star", "Bay Area", "Second Avenue")),
}
EDITION_WORD = {"en": "Edition", "fr": "Édition", "de": "Edition", "es": "Edición", "it": "Edizione"}
MODIFIERS = ("", "", "", "Pro", "Plus", "Lite", "Max", "5G", "SE", "Neo", "Mini", "Ultra", "FE", "X")
PRODUCT_TEXTS = {
    "en": ("{brand} {name}: a refurbished device from the {category} range, available in {count} "
           "configurations. Every unit is tested, cleaned and graded by an independent workshop before it ships.",
           "Refurbished and guaranteed: {brand} {name}, in {category}. Choose from {count} configurations "
           "and the condition that suits your budget."),
    "fr": ("{brand} {name} : un appareil reconditionné du rayon {category}, disponible en {count} "
           "configurations. Chaque exemplaire est testé, nettoyé et classé par un atelier indépendant "
           "avant l'expédition.",
           "Reconditionné et garanti : {brand} {name}, rayon {category}. Choisissez parmi {count} configurations "
           "et l'état qui convient à votre budget."),
    "de": ("{brand} {name}: ein generalüberholtes Gerät aus der Kategorie {category}, erhältlich in {count} "
           "Konfigurationen. Jedes Exemplar wird vor dem Versand von einer unabhängigen Werkstatt geprüft, "
           "gereinigt und bewertet.",
           "Generalüberholt und mit Garantie: {brand} {name}, Kategorie {category}. Wählen Sie aus {count} "
           "Konfigurationen und dem Zustand, der zu Ihrem Budget passt."),
    "es": ("{brand} {name}: un dispositivo reacondicionado de la categoría {category}, disponible en {count} "
           "configuraciones. Un taller independiente revisa, limpia y clasifica cada unidad antes del envío.",
           "Reacondicionado y con garantía: {brand} {name}, categoría {category}. Elige entre {count} "
           "configuraciones y el estado que mejor se adapte a tu presupuesto."),
    "it": ("{brand} {name}: un dispositivo ricondizionato della categoria {category}, disponibile in {count} "
           "configurazioni. Ogni esemplare viene testato, pulito e classificato da un laboratorio indipendente "
           "prima della spedizione.",
           "Ricondizionato e garantito: {brand} {name}, categoria {category}. Scegli tra {count} configurazioni "
           "e la condizione più adatta al tuo budget."),
}
SELLER_TEXTS = {
    "en": "Independent refurbishing workshop in {city}, founded in {year}. Every device is tested, repaired "
          "where needed and graded before it ships.",
    "fr": "Atelier de reconditionnement indépendant à {city}, fondé en {year}. Chaque appareil est testé, "
          "réparé si besoin et classé avant l'expédition.",
    "de": "Unabhängige Aufbereitungswerkstatt in {city}, gegründet {year}. Jedes Gerät wird vor dem Versand "
          "geprüft, bei Bedarf repariert und bewertet.",
    "es": "Taller de reacondicionamiento independiente en {city}, fundado en {year}. Cada dispositivo se "
          "prueba, se repara si hace falta y se clasifica antes del envío.",
    "it": "Laboratorio di ricondizionamento indipendente a {city}, fondato nel {year}. Ogni dispositivo viene "
          "testato, riparato se necessario e classificato prima della spedizione.",
}
# Grades drawn for a listing: the middle grades are the most common on refurb marketplaces.
GRADE_DRAW = ("fair",) * 2 + ("good",) * 4 + ("excellent",) * 3 + ("premium",) * 1
# Used when grade descriptions are absent: the guaranteed battery health per grade.
DEFAULT_BATTERY_HEALTH = {"fair": 80, "good": 85, "excellent": 90, "premium": 95}

# The minimal reference set, used only when the database has no demo products to vary.
MINIMAL_CATEGORIES = (  # key, parent key, illustration, names (en, fr, de, es, it)
    ("phones-tablets", None, "phone", ("Phones & tablets", "Téléphones et tablettes", "Smartphones & Tablets",
                                       "Móviles y tablets", "Telefoni e tablet")),
    ("smartphones", "phones-tablets", "phone", ("Smartphones", "Smartphones", "Smartphones", "Smartphones",
                                                "Smartphone")),
    ("tablets", "phones-tablets", "tablet", ("Tablets", "Tablettes", "Tablets", "Tablets", "Tablet")),
    ("computers", None, "laptop", ("Computers", "Ordinateurs", "Computer", "Ordenadores", "Computer")),
    ("laptops", "computers", "laptop", ("Laptops", "Ordinateurs portables", "Laptops", "Portátiles",
                                        "Portatili")),
)
MINIMAL_COLORS = {  # code: hex, names (en, fr, de, es, it)
    "black": ("#1c1c1e", ("Black", "Noir", "Schwarz", "Negro", "Nero")),
    "white": ("#f5f5f0", ("White", "Blanc", "Weiß", "Blanco", "Bianco")),
    "silver": ("#d9d9de", ("Silver", "Argent", "Silber", "Plata", "Argento")),
    "blue": ("#2f5d8a", ("Blue", "Bleu", "Blau", "Azul", "Blu")),
    "green": ("#4a6b4f", ("Green", "Vert", "Grün", "Verde", "Verde")),
    "graphite": ("#4b4b4f", ("Graphite", "Graphite", "Graphit", "Grafito", "Grafite")),
}
MINIMAL_FAMILIES = (  # brand, model, category, year, specs, colours, configs (options, EUR, GBP, USD)
    ("Apple", "iPhone 14", "smartphones", 2022, {"screen_in": "6.1", "chip": "A15 Bionic", "battery_mah": "3279"},
     ("black", "white", "blue"), (({"storage_gb": 128}, 101900, 84900, 79900),
                                  ({"storage_gb": 256}, 114900, 94900, 89900))),
    ("Samsung", "Galaxy S23", "smartphones", 2023, {"screen_in": "6.1", "battery_mah": "3900"},
     ("black", "green", "white"), (({"storage_gb": 128}, 94900, 84900, 79999),
                                   ({"storage_gb": 256}, 100900, 89900, 85999))),
    ("Google", "Pixel 8", "smartphones", 2023, {"screen_in": "6.2", "chip": "Tensor G3", "battery_mah": "4575"},
     ("black", "white"), (({"storage_gb": 128}, 79900, 69900, 69900), ({"storage_gb": 256}, 85900, 75900, 75900))),
    ("Apple", "iPad Air", "tablets", 2022, {"screen_in": "10.9", "chip": "M1"},
     ("graphite", "blue"), (({"storage_gb": 64, "connectivity": "wifi"}, 76900, 66900, 59900),
                            ({"storage_gb": 256, "connectivity": "wifi"}, 96900, 81900, 74900))),
    ("Samsung", "Galaxy Tab S9", "tablets", 2023, {"screen_in": "11.0", "battery_mah": "8400"},
     ("graphite",), (({"storage_gb": 128, "ram_gb": 8}, 94900, 79900, 79999),
                     ({"storage_gb": 256, "ram_gb": 12}, 104900, 89900, 91999))),
    ("Lenovo", "ThinkPad X1 Carbon", "laptops", 2022, {"screen_in": "14.0", "weight_g": "1120"},
     ("black",), (({"ram_gb": 16, "storage_gb": 512}, 199900, 169900, 164900),
                  ({"ram_gb": 32, "storage_gb": 1024}, 239900, 204900, 199900))),
    ("Apple", "MacBook Air 13", "laptops", 2022, {"screen_in": "13.6", "chip": "M2", "weight_g": "1240"},
     ("silver", "graphite"), (({"ram_gb": 8, "storage_gb": 256}, 149900, 124900, 119900),
                              ({"ram_gb": 8, "storage_gb": 512}, 184900, 154900, 149900))),
)
