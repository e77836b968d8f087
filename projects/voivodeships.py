"""The voivode of each voivodeship (kis.lib.territory.Voivodeship, by its TERYT code),
to whom the club reports every year (art. 18a(6) of the Social Employment Act), and the
voivode's office: the addressee of the report to the voivode.

Proper names of Polish offices, written as the addressee of a letter: data, not
interface text, so they are not translated."""

from dataclasses import dataclass

from kis.lib.territory import Voivodeship as V


@dataclass(frozen=True)
class Voivode:
    title: str  # "Wojewoda Małopolski"
    office: str  # "Małopolski Urząd Wojewódzki w Krakowie"


VOIVODES: dict[str, Voivode] = {
    V.DOLNOSLASKIE: Voivode("Wojewoda Dolnośląski", "Dolnośląski Urząd Wojewódzki we Wrocławiu"),
    V.KUJAWSKO_POMORSKIE: Voivode(
        "Wojewoda Kujawsko-Pomorski", "Kujawsko-Pomorski Urząd Wojewódzki w Bydgoszczy"
    ),
    V.LUBELSKIE: Voivode("Wojewoda Lubelski", "Lubelski Urząd Wojewódzki w Lublinie"),
    V.LUBUSKIE: Voivode("Wojewoda Lubuski", "Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim"),
    V.LODZKIE: Voivode("Wojewoda Łódzki", "Łódzki Urząd Wojewódzki w Łodzi"),
    V.MALOPOLSKIE: Voivode("Wojewoda Małopolski", "Małopolski Urząd Wojewódzki w Krakowie"),
    V.MAZOWIECKIE: Voivode("Wojewoda Mazowiecki", "Mazowiecki Urząd Wojewódzki w Warszawie"),
    V.OPOLSKIE: Voivode("Wojewoda Opolski", "Opolski Urząd Wojewódzki w Opolu"),
    V.PODKARPACKIE: Voivode("Wojewoda Podkarpacki", "Podkarpacki Urząd Wojewódzki w Rzeszowie"),
    V.PODLASKIE: Voivode("Wojewoda Podlaski", "Podlaski Urząd Wojewódzki w Białymstoku"),
    V.POMORSKIE: Voivode("Wojewoda Pomorski", "Pomorski Urząd Wojewódzki w Gdańsku"),
    V.SLASKIE: Voivode("Wojewoda Śląski", "Śląski Urząd Wojewódzki w Katowicach"),
    V.SWIETOKRZYSKIE: Voivode(
        "Wojewoda Świętokrzyski", "Świętokrzyski Urząd Wojewódzki w Kielcach"
    ),
    V.WARMINSKO_MAZURSKIE: Voivode(
        "Wojewoda Warmińsko-Mazurski", "Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie"
    ),
    V.WIELKOPOLSKIE: Voivode("Wojewoda Wielkopolski", "Wielkopolski Urząd Wojewódzki w Poznaniu"),
    V.ZACHODNIOPOMORSKIE: Voivode(
        "Wojewoda Zachodniopomorski", "Zachodniopomorski Urząd Wojewódzki w Szczecinie"
    ),
}
