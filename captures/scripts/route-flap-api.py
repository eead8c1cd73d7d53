#!/usr/bin/env python3
"""ExaBGP API process: announce 10.50.0.0/16, then withdraw and re-announce it
six times, two seconds apart; it stays announced at the end."""
import sys
import time

def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

time.sleep(4)
say("announce route 10.50.0.0/16 next-hop self")
for _ in range(6):
    time.sleep(2)
    say("withdraw route 10.50.0.0/16 next-hop self")
    time.sleep(2)
    say("announce route 10.50.0.0/16 next-hop self")
while True:
    if not sys.stdin.readline():
        break
