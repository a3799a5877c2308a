"""Profiles: schema, loading, validation and the defaults cascade. Knows nothing of Airflow."""

from profile_sync.profiles.catalogue import CATALOGUE, ProfileType, profile_type
from profile_sync.profiles.errors import ProfileError, ProfileErrors
from profile_sync.profiles.loader import LoadedProfile, LoadResult, load_profiles, profile_files
from profile_sync.profiles.schema import Profile

__all__ = [
    "CATALOGUE",
    "LoadResult",
    "LoadedProfile",
    "Profile",
    "ProfileError",
    "ProfileErrors",
    "ProfileType",
    "load_profiles",
    "profile_files",
    "profile_type",
]
