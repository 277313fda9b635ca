"""Two-factor sign-in: after the password, a code from an authenticator app (TOTP), or one of
the backup codes given at set-up for a lost phone.

- rules:    who is asked for a code, and whether a signed-in caller has given it
- services: set-up, checking a code, backup codes, turning it off
- steps:    the sign-in between password and code, and the pages' shared code and set-up steps
"""
