// Package sample embeds the illustrative data set that `redline demo`
// screens: red-line patches, a zoned nature reserve, a zoned
// drinking-water-source zone, permanent farmland and eight proposed sites,
// placed in Lincang (Yunnan). The data are made up by the generator in
// data/sample/gen; they are illustrative, not official data, and every file
// says so. The package only embeds files: it knows nothing of their format
// and imports none of the module's other packages.
package sample
