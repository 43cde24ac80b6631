#!/bin/sh
# A throwaway Postfix instance for bench/smtp-inbound.ts, beside (not instead of) the system's:
# its own config, queue and mailboxes under one folder, listening on 127.0.0.1:<port> only,
# delivering mail for bench.localhost with virtual(8) into Maildirs (one file per message,
# fsynced by Postfix before it counts as delivered; the queue file is fsynced before the 250).
# Postfix must be installed (Debian: postfix, with "Local only" so that the system instance
# stays inert). Needs root, as Postfix's master does.
#
#   bench/postfix-instance.sh start <folder> <port>   make the instance and start it
#   bench/postfix-instance.sh count <folder>          messages delivered to the mailbox
#   bench/postfix-instance.sh queued <folder>         messages still in the queue
#   bench/postfix-instance.sh stop <folder>           stop it (the folder is left for you to remove)
set -eu
command=$1
root=$2
etc=$root/etc

case $command in
start)
  port=$3
  mkdir -p "$etc" "$root/vmail/bench" "$root/data"
  cp /etc/postfix/master.cf "$etc/master.cf"
  cp /etc/postfix/dynamicmaps.cf "$etc/" 2>/dev/null || true
  mkdir -p "$etc/dynamicmaps.cf.d" "$etc/postfix-files.d"
  cp /etc/postfix/postfix-files "$etc/" 2>/dev/null || true
  cat > "$etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $root/spool
data_directory = $root/data
mail_owner = postfix
setgid_group = postdrop
myhostname = pf-bench.localhost
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = $root/maillog
maillog_file_prefixes = /var, /dev/stdout, $root
virtual_mailbox_domains = bench.localhost
virtual_mailbox_base = $root/vmail
virtual_mailbox_maps = texthash:$etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
virtual_mailbox_limit = 0
smtpd_client_connection_count_limit = 0
default_process_limit = 200
CF
  echo "bench@bench.localhost bench/" > "$etc/vmailbox"
  chown -R 65534:65534 "$root/vmail"
  chown postfix "$root/data"
  # No chroot: the instance's queue lives in a temporary folder without a copy of /etc.
  postconf -c "$etc" -F '*/*/chroot = n'
  # The MX service on the given port only; the system instance's port 25 line becomes ours.
  postconf -c "$etc" -M# 'smtp/inet'
  postconf -c "$etc" -Me "127.0.0.1:$port/inet = 127.0.0.1:$port inet n - n - - smtpd"
  mkdir -p "$root/spool"
  postfix -c "$etc" post-install create-missing
  postfix -c "$etc" check
  postfix -c "$etc" start
  ;;
count)
  find "$root/vmail/bench/new" "$root/vmail/bench/cur" -type f 2>/dev/null | wc -l
  ;;
queued)
  find "$root/spool/incoming" "$root/spool/active" "$root/spool/deferred" "$root/spool/maildrop" -type f 2>/dev/null | wc -l
  ;;
stop)
  postfix -c "$etc" stop
  ;;
esac
