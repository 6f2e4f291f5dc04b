module lambkin.dev/hack/netcheck

go 1.22
