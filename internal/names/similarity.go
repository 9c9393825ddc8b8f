package names

// jaroWinkler returns the Jaro-Winkler similarity of two byte strings.
func jaroWinkler(a, b string) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		if la == lb {
			return 1
		}
		return 0
	}
	if a == b {
		return 1
	}
	if la > 64 || lb > 64 {
		if la > 64 {
			a, la = a[:64], 64
		}
		if lb > 64 {
			b, lb = b[:64], 64
		}
	}
	win := la
	if lb > win {
		win = lb
	}
	win = win/2 - 1
	if win < 0 {
		win = 0
	}
	var am, bm [64]bool
	m := 0
	for i := 0; i < la; i++ {
		lo := i - win
		if lo < 0 {
			lo = 0
		}
		hi := i + win + 1
		if hi > lb {
			hi = lb
		}
		for j := lo; j < hi; j++ {
			if !bm[j] && a[i] == b[j] {
				am[i], bm[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t := 0
	k := 0
	for i := 0; i < la; i++ {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	jaro := (fm/float64(la) + fm/float64(lb) + (fm-float64(t)/2)/fm) / 3
	p := 0
	for p < 4 && p < la && p < lb && a[p] == b[p] {
		p++
	}
	return jaro + float64(p)*0.1*(1-jaro)
}

// cheapPairs are look-alike letters (OCR) and adjacent keys: substituting
// one for the other costs half. (r and n are no pair: rn for m is
// twoForOne.)
var cheapPairs = [...]string{"il", "ij", "ce", "uv", "nu", "hn", "bh", "co", "ao", "ae", "io", "ei", "ft", "mn", "kx", "sz", "ck", "iy", "gq"}

// cheapWith holds, for each letter, the letters it is cheaply substituted
// for (bit y-'a'): the edit distance asks it for every cell.
var cheapWith = func() (t [26]uint32) {
	for _, p := range cheapPairs {
		x, y := p[0]-'a', p[1]-'a'
		t[x] |= 1 << y
		t[y] |= 1 << x
	}
	return t
}()

// cheapSub reports whether substituting x and y costs half.
func cheapSub(x, y byte) bool {
	x, y = x-'a', y-'a'
	return x < 26 && y < 26 && cheapWith[x]>>y&1 != 0
}

// editDistance is a Damerau-Levenshtein (optimal string alignment) distance
// where OCR confusions (rn↔m, cl↔d, vv↔w, look-alike letters) and doubled
// letters cost 0.5. It gives up (returns limit+1) once the distance surely
// exceeds limit.
func editDistance(a, b string, limit float64) float64 {
	const maxLen = 48
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	la, lb := len(a), len(b)
	d := la - lb
	if d < 0 {
		d = -d
	}
	if float64(d) > limit*2 {
		return limit + 1
	}
	// three rolling rows: i-2, i-1, i
	var r [3][maxLen + 1]float32
	for j := 0; j <= lb; j++ {
		r[0][j] = float32(j)
	}
	lim := float32(limit)
	for i := 1; i <= la; i++ {
		cur := &r[i%3]
		p1 := &r[(i+2)%3] // i-1
		p2 := &r[(i+1)%3] // i-2 (garbage when i == 1, unused then)
		cur[0] = float32(i)
		rowMin := cur[0]
		ai := a[i-1]
		for j := 1; j <= lb; j++ {
			bj := b[j-1]
			var cost float32 = 1
			if ai == bj {
				cost = 0
			} else if cheapSub(ai, bj) {
				cost = 0.5
			}
			v := p1[j-1] + cost
			if x := p1[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 {
				if ai == b[j-2] && a[i-2] == bj {
					if x := p2[j-2] + 1; x < v {
						v = x
					}
				}
				if twoForOne(a[i-2], ai, bj) {
					if x := p2[j-1] + 0.5; x < v {
						v = x
					}
				}
				if twoForOne(b[j-2], bj, ai) {
					if x := p1[j-2] + 0.5; x < v {
						v = x
					}
				}
			}
			// doubled or undoubled letter
			if i > 1 && ai == a[i-2] && ai == bj {
				if x := p1[j] + 0.5; x < v {
					v = x
				}
			}
			if j > 1 && bj == b[j-2] && bj == ai {
				if x := cur[j-1] + 0.5; x < v {
					v = x
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > lim {
			return limit + 1
		}
	}
	return float64(r[la%3][lb])
}

// twoForOne reports whether the letters xy read as z (rn as m, cl as d,
// vv as w): an OCR confusion that costs half.
func twoForOne(x, y, z byte) bool {
	switch z {
	case 'm':
		return y == 'n' && (x == 'r' || x == 'n')
	case 'd':
		return x == 'c' && y == 'l'
	case 'w':
		return x == 'v' && y == 'v'
	case 'u':
		return x == 'i' && y == 'i'
	case 'h':
		return x == 'l' && y == 'i'
	}
	return false
}
