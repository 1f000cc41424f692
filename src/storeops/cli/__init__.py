"""The command line: parse, call the domain, render. No business logic here."""
