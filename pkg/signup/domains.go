package signup

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DomainList is a set of normalized domain names. A domain matches the
// list when it is one of them or a subdomain of one: a list holding
// "example.com" matches "example.com" and "mail.example.com", not
// "badexample.com". The zero value is an empty list, which matches
// nothing.
type DomainList struct {
	names map[string]struct{}
}

// ParseDomainList parses a comma-separated list of domain names, as the
// environment variables of this package hold them. Items are trimmed of
// white space and normalized with [NormalizeDomain]; empty items (a
// trailing comma) are skipped. A blank list gives the empty list. A list
// that is not blank but names no domain (","), or an item that is not a
// domain name, is an error that names the item. Write bare domains: a
// leading "@" or "*." is refused, since subdomains always match.
func ParseDomainList(list string) (DomainList, error) {
	var l DomainList
	if strings.TrimSpace(list) == "" {
		return l, nil
	}
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.HasPrefix(item, "@") || strings.HasPrefix(item, "*.") {
			return DomainList{}, fmt.Errorf("%q: write the domain alone, such as example.com; its subdomains are included", item)
		}
		d, err := NormalizeDomain(item)
		if err != nil {
			return DomainList{}, fmt.Errorf("%q is not a valid domain name (%v)", item, err)
		}
		if l.names == nil {
			l.names = map[string]struct{}{}
		}
		l.names[d] = struct{}{}
	}
	if l.names == nil {
		return DomainList{}, errors.New("the list names no domain; leave it empty or list domains separated by commas")
	}
	return l, nil
}

// MustParseDomainList is [ParseDomainList] for lists known to be valid,
// such as literals in tests; it panics on an error.
func MustParseDomainList(list string) DomainList {
	l, err := ParseDomainList(list)
	if err != nil {
		panic("signup: " + err.Error())
	}
	return l
}

// Len returns the number of domains in the list.
func (l DomainList) Len() int { return len(l.names) }

// Domains returns the normalized domains of the list, sorted.
func (l DomainList) Domains() []string {
	return slices.Sorted(maps.Keys(l.names))
}

// Match reports whether domain, which must be normalized (see
// [NormalizeDomain]), is a domain of the list or a subdomain of one.
func (l DomainList) Match(domain string) bool {
	_, ok := l.matchedBy(domain)
	return ok
}

// matchedBy returns the domain of the list that domain matches.
func (l DomainList) matchedBy(domain string) (string, bool) {
	if len(l.names) == 0 {
		return "", false
	}
	for d := domain; d != ""; {
		if _, ok := l.names[d]; ok {
			return d, true
		}
		dot := strings.IndexByte(d, '.')
		if dot < 0 {
			break
		}
		d = d[dot+1:]
	}
	return "", false
}

// overlaps reports whether some domain matches both l and the subtree of
// domain: domain itself is in l, or an ancestor or a descendant of it is.
func (l DomainList) overlaps(domain string) bool {
	if l.Match(domain) {
		return true
	}
	for d := range l.names {
		if strings.HasSuffix(d, "."+domain) {
			return true
		}
	}
	return false
}
