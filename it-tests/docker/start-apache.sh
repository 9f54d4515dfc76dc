#!/bin/sh
# Container start-up script of the it-tests Apache image, as the reference setup's startup-script:
# each backend serves "This is <its hostname>" at /, so a response tells which server answered.
# The tests set the container hostname to apache1, apache2 or apache3.
set -eu
echo "This is $(hostname)" > /var/www/html/index.html
# exec: apache2 becomes PID 1, so `docker kill` and `docker stop` reach it directly.
exec apachectl -D FOREGROUND
