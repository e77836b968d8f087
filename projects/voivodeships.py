"""The sixteen voivodeships, by their TERYT code, with the voivode the club reports to
(art. 18a(6) of the Social Employment Act) and the voivode's office.

Proper names of Polish offices, written as the addressee of a letter: data, not
interface text, so they are not translated."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Voivodeship:
    code: str  # TERYT
    name: str  # "małopolskie"
    voivode: str  # "Wojewoda Małopolski"
    office: str  # "Małopolski Urząd Wojewódzki w Krakowie"


VOIVODESHIPS = [
    Voivodeship(
        "02", "dolnośląskie", "Wojewoda Dolnośląski", "Dolnośląski Urząd Wojewódzki we Wrocławiu"
    ),
    Voivodeship(
        "04",
        "kujawsko-pomorskie",
        "Wojewoda Kujawsko-Pomorski",
        "Kujawsko-Pomorski Urząd Wojewódzki w Bydgoszczy",
    ),
    Voivodeship("06", "lubelskie", "Wojewoda Lubelski", "Lubelski Urząd Wojewódzki w Lublinie"),
    Voivodeship(
        "08", "lubuskie", "Wojewoda Lubuski", "Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim"
    ),
    Voivodeship("10", "łódzkie", "Wojewoda Łódzki", "Łódzki Urząd Wojewódzki w Łodzi"),
    Voivodeship(
        "12", "małopolskie", "Wojewoda Małopolski", "Małopolski Urząd Wojewódzki w Krakowie"
    ),
    Voivodeship(
        "14", "mazowieckie", "Wojewoda Mazowiecki", "Mazowiecki Urząd Wojewódzki w Warszawie"
    ),
    Voivodeship("16", "opolskie", "Wojewoda Opolski", "Opolski Urząd Wojewódzki w Opolu"),
    Voivodeship(
        "18", "podkarpackie", "Wojewoda Podkarpacki", "Podkarpacki Urząd Wojewódzki w Rzeszowie"
    ),
    Voivodeship("20", "podlaskie", "Wojewoda Podlaski", "Podlaski Urząd Wojewódzki w Białymstoku"),
    Voivodeship("22", "pomorskie", "Wojewoda Pomorski", "Pomorski Urząd Wojewódzki w Gdańsku"),
    Voivodeship("24", "śląskie", "Wojewoda Śląski", "Śląski Urząd Wojewódzki w Katowicach"),
    Voivodeship(
        "26",
        "świętokrzyskie",
        "Wojewoda Świętokrzyski",
        "Świętokrzyski Urząd Wojewódzki w Kielcach",
    ),
    Voivodeship(
        "28",
        "warmińsko-mazurskie",
        "Wojewoda Warmińsko-Mazurski",
        "Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie",
    ),
    Voivodeship(
        "30", "wielkopolskie", "Wojewoda Wielkopolski", "Wielkopolski Urząd Wojewódzki w Poznaniu"
    ),
    Voivodeship(
        "32",
        "zachodniopomorskie",
        "Wojewoda Zachodniopomorski",
        "Zachodniopomorski Urząd Wojewódzki w Szczecinie",
    ),
]

BY_CODE = {v.code: v for v in VOIVODESHIPS}
CHOICES = [(v.code, v.name) for v in VOIVODESHIPS]
