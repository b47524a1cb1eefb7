"""What accounts tells the apps above it. Accounts imports none of them (programs, mentorship, matching stand on
accounts), so what a person's account does to their programs is said here and done by the receivers there
(programs.receivers). Each is sent inside the caller's transaction: a receiver that raises undoes the whole step,
and its ValidationError is the caller's 400."""

from django.dispatch import Signal

# A sign-up is asked for (nothing is stored yet), with `role` and `program_slug` (either may be ""): a receiver
# refuses a program that does not exist or a role one cannot join it in, with a ValidationError naming `program` or
# `role`.
signup_requested = Signal()

# An account was created from a sign-up (`user`), with the `role` and `program_slug` asked for then ("" for none;
# a role without a program means the default program): a receiver joins the program in that role when anyone may
# join it, and does nothing otherwise (an invite-only program takes people by invitation).
signup_confirmed = Signal()

# `user` changes their mentoring in the default program through their profile: `changes` holds `capacity` and/or
# `accepting_requests`. A receiver applies them to the person's mentor membership there, and raises a
# ValidationError naming the field when the person is not a mentor there or the capacity is below the mentees
# they have.
mentoring_update_requested = Signal()
