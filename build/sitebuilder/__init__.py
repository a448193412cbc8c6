"""The site builder: fetch, verify and package everything the static playground site needs."""
