"""The booking use cases the handlers share, and recovery too: find the citizen and the booking
(``lookups``), make a change at the planner and register it here all or nothing (``change``:
one transaction with the embedded planner, intents and compensation with a remote one), and the
registrations themselves (``registration``). Nothing here sees HTTP; handlers/ import this
package, never the other way round."""
