#!/bin/sh
# Benchvisor guest init (PID 1 of the QEMU guest, runs from the initramfs).
# Mounts the kernel filesystems, loads the virtio drivers listed by the host,
# configures user-mode networking, starts a shell on the serial console for
# the user, and keeps the agent running on the virtio-serial port.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /run
mount -t devpts devpts /dev/pts

# Drivers, dependencies first (file written by the host's initramfs builder).
if [ -f /etc/benchvisor/modules ]; then
  while read -r mod; do
    [ -n "$mod" ] && { insmod "/lib/modules/$mod" || echo "benchvisor: insmod $mod failed" >/dev/console; }
  done </etc/benchvisor/modules
fi

# QEMU user-mode networking: fixed addresses, no DHCP needed.
ip link set lo up
ip link set eth0 up 2>/dev/null && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2
hostname -F /etc/hostname 2>/dev/null

# The agent on its virtio-serial port, in the background.
agent_loop() {
  # Find the agent's virtio-serial port by name (no udev here).
  AGENT_NAME=org.benchvisor.agent
  port=""
  tries=0
  while [ -z "$port" ] && [ "$tries" -lt 200 ]; do
    for p in /sys/class/virtio-ports/*; do
      [ -f "$p/name" ] && [ "$(cat "$p/name")" = "$AGENT_NAME" ] && port="/dev/${p##*/}"
    done
    [ -z "$port" ] && { usleep 50000; tries=$((tries + 1)); }
  done
  if [ -z "$port" ]; then
    echo "benchvisor: agent port $AGENT_NAME not found; is virtio_console loaded?" >/dev/console
    return
  fi
  while :; do
    sh /etc/benchvisor/agent.sh "$port"
    echo "benchvisor: agent exited, restarting" >/dev/console
    sleep 1
  done
}
agent_loop &

# Interactive shell on the serial console (the live console in the app), in init's foreground:
# a command started in the background (&) of a script has SIGINT ignored, and a shell started
# from there passes that on to what it runs, so Ctrl-C typed into the console would not stop
# anything. PID 1 must never exit; while it waits here it also reaps orphaned processes.
while :; do
  setsid cttyhack sh -l
  sleep 1
done
