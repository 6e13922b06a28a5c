// Turns an OpenWrt configuration directory (UCI files "network" and "firewall", read with the real libuci) into
// the fixtures firewall4's test mocks read: uci/firewall.json (sections grouped by type, in file order) and
// ubus/network.interface~dump.json (what netifd would report for the interfaces: devices and static addresses).
// Usage: ucode -L <ucode modules> uci2mock.uc <config dir> <output dir>
'use strict';

import { cursor } from 'uci';
import { writefile, readfile, mkdir, lsdir, stat } from 'fs';

const confdir = ARGV[0], outdir = ARGV[1];
const ctx = cursor(confdir);

function sections(config) {
	let all = ctx.get_all(config);
	if (!all)
		die(`${confdir}/${config}: cannot be read\n`);
	return sort(values(all), (a, b) => a['.index'] - b['.index']);
}

// uci/firewall.json: { TYPE: [ section, ... ] }; anonymous sections without ".name", as in firewall4's tests
let fw = {};
for (let s in sections('firewall')) {
	let o = {};
	for (let k, v in s)
		if (substr(k, 0, 1) != '.' || (k == '.name' && !s['.anonymous']))
			o[k] = v;
	push(fw[s['.type']] ||= [], o);
}

function to_list(v) {
	return (type(v) == 'array') ? v : (v == null ? [] : split(trim(v), /[ \t]+/));
}

function mask_bits(mask) {
	let bits = 0;
	for (let octet in split(mask, '.'))
		for (let b = 7; b >= 0; b--)
			if ((+octet >> b) & 1) bits++;
	return bits;
}

// "ADDR/LEN", or ADDR with the interface's netmask (IPv4), else a host address; into v4 or v6 by the address
function addresses(list, netmask, v4, v6) {
	for (let a in to_list(list)) {
		let p = split(a, '/'), ipv6 = index(p[0], ':') >= 0;
		let bits = (length(p) == 2) ? +p[1] : (netmask && !ipv6 ? mask_bits(netmask) : (ipv6 ? 128 : 32));
		push(ipv6 ? v6 : v4, { address: p[0], mask: bits });
	}
}

// ubus call network.interface dump: the interfaces of /etc/config/network as netifd reports them once up
let ifaces = [];
for (let s in sections('network')) {
	if (s['.type'] != 'interface')
		continue;
	let name = s['.name'], proto = s.proto || 'none';
	let device = s.device ?? s.ifname;
	if (type(device) == 'array')
		device = device[0];
	if (s.type == 'bridge')
		device = `br-${name}`;
	let l3 = device;
	if (proto == 'wireguard')
		device = l3 = name;
	else if (proto in [ 'pppoe', 'pppoa', 'l2tp', 'pptp' ])
		l3 = `${proto}-${name}`;
	let v4 = [], v6 = [];
	if (proto == 'static') {
		addresses(s.ipaddr, s.netmask, v4, v6);
		addresses(s.ip6addr, null, v4, v6);
	}
	else if (proto == 'wireguard') {
		addresses(s.addresses, null, v4, v6);
	}
	push(ifaces, {
		interface: name,
		up: s.disabled != '1' && s.auto != '0',
		proto,
		device,
		l3_device: l3,
		'ipv4-address': v4,
		'ipv6-address': v6,
		'ipv6-prefix-assignment': [],
		data: {}
	});
}

mkdir(outdir);
mkdir(`${outdir}/uci`);
mkdir(`${outdir}/ubus`);
writefile(`${outdir}/uci/firewall.json`, sprintf('%.J\n', fw));
writefile(`${outdir}/ubus/network.interface~dump.json`, sprintf('%.J\n', { interface: ifaces }));

// nf_conntrack_rtsp is an OpenWrt module outside mainline Linux: the kernel the ruleset is loaded into has no
// such helper, so fw4 is told (as on a router without kmod-nf-nathelper-extra) that the module is not loaded
mkdir(`${outdir}/fs`);
writefile(`${outdir}/fs/stat~_sys_module_nf_conntrack_rtsp.json`, '{ "type": "file" }\n');

// the router's devices exist (fw4 looks for /sys/class/net/DEV before it offloads flows through them)
for (let i in ifaces)
	if (i.device)
		writefile(`${outdir}/fs/open~${replace(`/sys/class/net/${i.device}`, /[^A-Za-z0-9_-]+/g, '_')}.txt`, `${i.device}\n`);

// the kernel of a current OpenWrt release (fw4 checks it for mtu_fix and ipsets of networks)
writefile(`${outdir}/fs/open~_proc_version.txt`, 'Linux version 6.6.73 (builder@buildhost) #0 SMP Mon Feb 10 12:00:00 2025\n');

// files on the router that fw4 reads (ipset loadfile, includes): the config directory's root/ holds them
function router_files(dir, path) {
	for (let name in lsdir(dir) || []) {
		let st = stat(`${dir}/${name}`);
		if (st?.type == 'directory')
			router_files(`${dir}/${name}`, `${path}/${name}`);
		else
			writefile(`${outdir}/fs/open~${replace(`${path}/${name}`, /[^A-Za-z0-9_-]+/g, '_')}.txt`, readfile(`${dir}/${name}`));
	}
}
router_files(`${confdir}/root`, '');
