"""SYNTHETIC corpus: phrase banks for the exposés, written for this generator (none copied)."""

from __future__ import annotations

# Opening paragraphs of an economic-development report. {M} is "la Métropole" in some form.
STRATEGY_OPENINGS = (
    "Dans le cadre de sa stratégie de développement économique, {M} soutient l'innovation et "
    "le développement des filières d'avenir.",
    "L'Agenda du développement économique métropolitain, adopté par le Conseil de la Métropole, "
    "fait de l'innovation et de l'accompagnement des filières d'excellence une priorité de "
    "l'action économique de {M}.",
    "Compétente en matière de développement économique depuis sa création le 1er janvier 2016, "
    "{M} conduit une politique de soutien aux réseaux d'entreprises, aux structures "
    "d'accompagnement de l'innovation et aux filières stratégiques du territoire.",
    "Le développement économique et l'attractivité du territoire constituent l'une des "
    "compétences structurantes de {M}, qui entend favoriser la création de valeur et d'emplois "
    "en s'appuyant sur les filières d'excellence de son écosystème.",
    "Afin de conforter la dynamique d'innovation de son territoire, {M} accompagne les acteurs "
    "qui fédèrent entreprises, laboratoires et organismes de formation autour de projets "
    "collaboratifs.",
)

METROPOLE_FORMS = ("la Métropole Aix-Marseille-Provence", "la Métropole", "la Métropole AMP")

POLES_IN_GENERAL = (
    "Un pôle de compétitivité rassemble sur un territoire bien identifié et sur une thématique "
    "ciblée des entreprises, grands groupes, PME, ETI, des laboratoires de recherche et des "
    "établissements de formation. Les pouvoirs publics nationaux et locaux sont étroitement "
    "associés à cette dynamique collaborative.",
    "Créés en 2004, les pôles de compétitivité ont vocation à soutenir l'innovation en "
    "favorisant le développement de projets collaboratifs de recherche et développement "
    "particulièrement innovants, et à accompagner la croissance des entreprises membres.",
    "La politique nationale des pôles de compétitivité est entrée en {phase} ; l'Etat a "
    "renouvelé le label des pôles du territoire, en leur demandant de renforcer leur "
    "dimension européenne et l'accompagnement des PME vers le marché.",
    "Les pôles de compétitivité constituent des outils privilégiés de mise en réseau des "
    "acteurs économiques et académiques : ils favorisent l'émergence de projets de R&D, leur "
    "financement et la transformation de leurs résultats en produits et services.",
)

PHASES = {
    2016: "phase III (2013-2018)",
    2019: "phase IV (2019-2022)",
    2023: "phase V (2023-2026)",
}

SIX_POLES_SENTENCE = (
    "A ce titre, elle a vocation à soutenir l'action des {n} pôles de compétitivité "
    "principalement impliqués sur son territoire : {names}."
)

# Per pôle: paragraphs describing it. {name} is how the report calls it; {members},
# {companies} and {year} are filled in by the generator.
POLE_FACTS: dict[str, tuple[str, ...]] = {
    "optitec": (
        "Couvrant les filières Photonique et Imagerie, {name} réunit près de {members} membres "
        "dont {companies} entreprises. Le Pôle est implanté à l'échelle des Régions Sud et "
        "Occitanie.",
        "{name} structure son action autour de quatre domaines d'application : sécurité et "
        "défense, santé et sciences du vivant, ville et mobilité intelligentes, industrie du "
        "futur (capteurs, usinage laser, métrologie, contrôle en ligne).",
        "La plate-forme mutualisée de partage d'équipements animée par le Pôle met en relation "
        "offreurs et utilisateurs de moyens de caractérisation et de test, afin d'accélérer le "
        "développement de produits innovants.",
        "En {year}, {name} accompagnera ses adhérents sur les salons internationaux de la "
        "filière, à San Francisco, Munich et Paris, et organisera une mission partenariale à "
        "l'étranger associant plusieurs PME du territoire.",
    ),
    "eurobiomed": (
        "{name} fédère près de {members} membres de la filière santé, dont {companies} "
        "entreprises des biotechnologies, des technologies médicales et de la e-santé, ainsi "
        "que les principaux centres hospitaliers et universitaires du Sud de la France.",
        "Le programme du Pôle s'articule autour de l'émergence de projets collaboratifs, de "
        "l'accès au financement des jeunes entreprises de santé et de leur accompagnement à "
        "l'international, notamment lors des conventions d'affaires européennes du secteur.",
        "Le Pôle anime des groupes de travail thématiques (maladies infectieuses, oncologie, "
        "neurosciences, dispositifs médicaux) et organise chaque année des rencontres entre "
        "chercheurs, cliniciens et industriels.",
    ),
    "pole-mer-mediterranee": (
        "{name} rassemble environ {members} membres, dont {companies} entreprises, autour de "
        "l'économie maritime et littorale : défense et sécurité maritimes, naval et nautisme, "
        "ports et logistique, énergies marines renouvelables, ressources biologiques marines "
        "et environnement du littoral.",
        "Le Pôle accompagne notamment les projets liés à la décarbonation du transport "
        "maritime, à l'électrification des quais et à la préservation des écosystèmes marins, "
        "enjeux majeurs pour les bassins portuaires du territoire.",
        "Le plan d'actions du Pôle prévoit l'organisation de rencontres thématiques, un "
        "accompagnement renforcé des start-up de l'économie bleue et la participation aux "
        "principaux salons professionnels du secteur.",
    ),
    "scs": (
        "{name} fédère près de {members} membres, dont {companies} entreprises, de la filière "
        "numérique : microélectronique, Internet des objets, cybersécurité, intelligence "
        "artificielle et gestion des données massives.",
        "Le Pôle anime la communauté des acteurs des technologies de la sécurité numérique et "
        "accompagne les entreprises dans leurs projets de R&D, leur croissance et leur "
        "développement à l'international.",
        "Parmi les actions prévues en {year} figurent l'organisation de journées techniques, "
        "un programme d'accélération destiné aux start-up et la conduite de plusieurs projets "
        "européens en coordination avec d'autres clusters.",
    ),
    "capenergies": (
        "{name} réunit près de {members} membres, dont {companies} entreprises, engagés dans "
        "les énergies non génératrices de gaz à effet de serre : hydrogène, réseaux "
        "énergétiques intelligents, solaire, bioénergies et efficacité énergétique.",
        "Le Pôle accompagne des projets structurants de démonstration à l'échelle du "
        "territoire, notamment en matière de mobilité hydrogène, de stockage de l'énergie et "
        "de gestion intelligente des réseaux.",
        "Le programme du Pôle comprend l'animation de groupes de travail, l'accompagnement "
        "de projets collaboratifs et l'aide au financement des PME de la transition "
        "énergétique.",
    ),
    "safe": (
        "Issu du rapprochement de deux pôles en décembre 2015, {name} réunit près de "
        "{members} membres, dont {companies} entreprises, dans les domaines de l'aéronautique, "
        "du spatial, de la défense, de la sécurité et de la gestion des risques.",
        "Le Pôle anime des filières à fort potentiel pour le territoire, en particulier les "
        "drones, l'aéronautique civile et la prévention des risques naturels comme les feux "
        "de forêt.",
        "En {year}, {name} poursuivra l'accompagnement de ses adhérents vers les marchés "
        "publics et privés, l'animation de plateformes d'essais et l'organisation de "
        "rendez-vous d'affaires.",
    ),
    "terralia": (
        "{name} fédère près de {members} membres, dont {companies} entreprises, de la filière "
        "agroalimentaire : production de fruits et légumes, transformation et emballage.",
        "Le Pôle accompagne les projets d'innovation relatifs à la qualité des produits, à la "
        "réduction des intrants et à la valorisation des coproduits.",
    ),
    "innov-alliance": (
        "{name} rassemble près de {members} membres, dont {companies} entreprises, autour de "
        "la naturalité : agroalimentaire, arômes, parfums et cosmétiques.",
        "Le Pôle accompagne les entreprises dans le développement de produits naturels, "
        "l'approvisionnement en matières premières durables et la conquête de nouveaux "
        "marchés.",
        "Le programme du Pôle prévoit des ateliers thématiques, un accompagnement à la "
        "réglementation et l'organisation de rencontres entre industriels et laboratoires.",
    ),
    "aqua-valley": (
        "{name} regroupe près de {members} membres, dont {companies} entreprises, de la filière "
        "de l'eau : gestion de la ressource, traitement, irrigation et services aux "
        "collectivités.",
        "Le Pôle accompagne les projets innovants de réutilisation des eaux usées traitées, de "
        "réduction des fuites sur les réseaux et de préservation des milieux aquatiques.",
    ),
}

ACTION_AXES = (
    "développement du réseau et animation de la communauté des membres",
    "Innovation et R&D",
    "Europe et International",
    "Emploi et Formation",
    "accompagnement des PME vers le marché",
    "financement de l'innovation",
)

CONVENTION_SENTENCES = (
    "Une convention d'objectifs précise les modalités de versement de la subvention ainsi que "
    "les engagements du Pôle, notamment en matière de compte rendu financier et d'évaluation "
    "des actions conduites.",
    "Conformément à la réglementation, une convention fixe l'objet, le montant et les "
    "conditions d'utilisation de la subvention.",
    "Les modalités de versement et les obligations du bénéficiaire sont précisées dans la "
    "convention annexée au présent rapport.",
)

CONSIDERANTS = (
    "La volonté de la Métropole Aix-Marseille-Provence de soutenir un certain nombre "
    "d'associations à caractère économique, et notamment les pôles de compétitivité, qui "
    "mènent à l'échelle de son territoire des actions pertinentes en cohérence avec les "
    "principaux axes de sa politique de développement économique.",
    "L'intérêt métropolitain des actions conduites par le bénéficiaire en faveur de "
    "l'innovation et du développement des entreprises du territoire.",
    "Que le programme d'actions présenté concourt à la mise en œuvre de l'Agenda du "
    "développement économique de la Métropole.",
    "Qu'il convient d'approuver les termes de la convention correspondante.",
)

VOTE_SUFFIXES = (
    "",
    "",
    " à l'unanimité",
    " à la majorité",
    " à la majorité des suffrages exprimés",
)

VOTE_NOTES = (
    "Abstention : Groupe Une Volonté pour la Métropole.",
    "Ne prend pas part au vote : {member}.",
    "Vote contre : Groupe Métropole Commune.",
    "Le Groupe Ecologiste et Citoyen s'abstient.",
)

BACKGROUND_POLE_PARAS = (
    "Le territoire métropolitain accueille les équipes de six pôles de compétitivité : "
    "{names}. Ils animent les filières d'excellence identifiées par l'Agenda du développement "
    "économique.",
    "L'écosystème d'innovation du territoire s'appuie notamment sur les pôles de compétitivité "
    "{names}, dont les adhérents sont associés aux actions décrites ci-après.",
)

# One paragraph per action axis in a long report (each used at most once per document).
AXIS_DETAILS = (
    "Le Pôle poursuivra les actions engagées, en lien étroit avec les services de la Métropole, "
    "les autres réseaux d'accompagnement et les collectivités partenaires.",
    "Des indicateurs de suivi (entreprises accompagnées, projets labellisés, participations à "
    "des salons, emplois créés) seront communiqués à la Métropole dans le compte rendu "
    "financier et le rapport d'activité annuels.",
    "Des ateliers collectifs et des rendez-vous individuels permettront d'identifier les besoins "
    "des adhérents et de leur proposer un parcours d'accompagnement adapté.",
    "Le Pôle s'appuiera sur ses partenariats avec les universités et les écoles d'ingénieurs du "
    "territoire pour répondre aux besoins en compétences des entreprises.",
    "Une attention particulière sera portée aux jeunes entreprises innovantes, qui représentent "
    "près de la moitié des nouveaux adhérents.",
    "Les actions seront conduites en coordination avec l'agence régionale d'innovation et les "
    "autres pôles de compétitivité, afin d'éviter les doublons et de mutualiser les moyens.",
)
