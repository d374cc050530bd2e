package io.masqharness.cilium;

/**
 * Loose shape checks for addresses and prefixes as Cilium and iptables print them. Strict parsing (host
 * bits, octet ranges) is {@code net}'s job; here a token only has to look like what the tool prints.
 * Written without regular expressions so that no pasted token can make them backtrack.
 */
final class Addresses {

    private Addresses() {
    }

    static boolean isIpv4(String s) {
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                dots++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && ++digits <= 3) {
                continue;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    static boolean isIpv6(String s) {
        if (s.isEmpty() || s.length() > 45 || s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 && c < 128 || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.length() - slash > 4) {
            return false;
        }
        for (int i = slash + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return isIp(s.substring(0, slash));
    }

    /** A port or ICMP echo id as printed: 0-65535. */
    static boolean isPort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= 65535;
    }
}
