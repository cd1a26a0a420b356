// The report's interactive layer. It only adds to a page that reads fully without it:
// tooltips and clicks on map municipalities, one map viewer for the run's maps, its
// partitions and indicators, sortable tables, and downloads (CSV, SVG, GeoJSON, the
// pipeline). Everything it needs is in the JSON data island #bre-data; it fetches
// nothing (the page's Content-Security-Policy forbids it anyway).
(function () {
  'use strict';
  var island = document.getElementById('bre-data');
  if (!island) return;
  var data = JSON.parse(island.textContent);
  var words = data.words;
  var municipalities = data.municipalities;
  var indexOfCode = new Map();
  municipalities.forEach(function (m, i) { indexOfCode.set(m[0], i); });
  var partitions = new Map();
  data.partitions.forEach(function (p) { partitions.set(p.name, p); });
  var reportPartition = partitions.get(data.report_partition);
  var SVG_NS = 'http://www.w3.org/2000/svg';
  document.documentElement.classList.add('explore');

  // ------------------------------------------------------------ elements, numbers, downloads

  function element(tag, attributes, text) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Numbers for people, as the page writes them: three significant digits or so, with
  // the separators of the page's language (nl 1.234,5; en 1,234.5).
  var locale = document.documentElement.lang || 'nl';
  function decimals(v, digits) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  }
  function formatNumber(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1000 || (a >= 100 && v === Math.round(v))) return decimals(v, 0);
    if (a >= 10) return decimals(v, 1);
    if (a >= 0.01 || v === 0) return decimals(v, 2);
    return new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }).format(v);
  }
  // A share in [0, 1] as a whole percentage: 0.97 -> "97%" (nl "97%" too).
  function formatShare(v) {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v);
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = element('a', { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function downloadButton(label, onClick) {
    var b = element('button', { type: 'button', class: 'download' }, label);
    b.addEventListener('click', function (event) { event.preventDefault(); event.stopPropagation(); onClick(); });
    return b;
  }

  function regionOf(partition, i) {
    if (!partition || i === undefined) return null;
    var r = partition.region_of[i];
    return r >= 0 ? partition.regions[r] : null;
  }

  // ------------------------------------------------------------ maps: titles and state

  var mapsSection = document.getElementById('maps');
  var figures = mapsSection ? Array.prototype.slice.call(mapsSection.querySelectorAll('figure.map')) : [];
  // The browser's own tooltip (the path's <title>) would cover ours: keep its text aside.
  figures.forEach(function (figure) {
    figure.querySelectorAll('path[data-code] > title').forEach(function (title) {
      title.parentNode.setAttribute('data-title', title.textContent);
      title.remove();
    });
  });

  // What a figure currently shows: the partition its paths belong to, and for an
  // indicator view the value of each municipality.
  function figurePartition(figure) {
    return partitions.get(figure.getAttribute('data-partition')) || reportPartition;
  }

  // ------------------------------------------------------------ tooltip

  var tooltip = element('div', { id: 'bre-tooltip', role: 'tooltip' });
  tooltip.hidden = true;
  document.body.appendChild(tooltip);

  function tooltipContent(figure, i) {
    var m = municipalities[i];
    var partition = figurePartition(figure);
    tooltip.textContent = '';
    tooltip.appendChild(element('strong', {}, m[1] + ' (' + m[0] + ')'));
    var region = regionOf(partition, i);
    tooltip.appendChild(element('div', { class: 'tip-region' },
      words.region + ' (' + partition.name + '): ' + (region ? region[1] : words.unassigned)));
    if (partition.confidence && partition.confidence[i] !== null) {
      tooltip.appendChild(element('div', { class: 'tip-confidence' },
        words.confidence + ': ' + formatShare(partition.confidence[i])));
    }
    if (figure.indicatorValues) {
      var v = figure.indicatorValues[i];
      tooltip.appendChild(element('div', { class: 'tip-value' },
        figure.indicatorLabel + ': ' + (v === null || v === undefined ? words.no_data : v.text)));
    }
    var ties = data.ties && data.ties[i];
    if (ties && ties.length) {
      // The cooperation network's name is an identifier; another network's is said.
      tooltip.appendChild(element('div', {}, words.ties + (data.network === 'cooperation' ? '' : ' (' + data.network + ')') + ':'));
      var list = element('ul', { class: 'tip-ties' });
      ties.forEach(function (t) { list.appendChild(element('li', {}, municipalities[t[0]][1] + ' · ' + formatNumber(t[1]))); });
      tooltip.appendChild(list);
    }
  }

  function placeTooltip(event) {
    var pad = 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    var x = event.clientX + pad, y = event.clientY + pad;
    if (x + w > window.innerWidth - 4) x = Math.max(4, event.clientX - pad - w);
    if (y + h > window.innerHeight - 4) y = Math.max(4, event.clientY - pad - h);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }

  function pathTarget(event) {
    var path = event.target.closest ? event.target.closest('path[data-code]') : null;
    if (!path) return null;
    var figure = path.closest('figure.map');
    var i = indexOfCode.get(path.getAttribute('data-code'));
    return figure && i !== undefined ? { figure: figure, index: i, path: path } : null;
  }

  document.addEventListener('mouseover', function (event) {
    var target = pathTarget(event);
    if (!target) return;
    tooltipContent(target.figure, target.index);
    tooltip.hidden = false;
    placeTooltip(event);
  });
  document.addEventListener('mousemove', function (event) {
    if (!tooltip.hidden && pathTarget(event)) placeTooltip(event);
  });
  document.addEventListener('mouseout', function (event) {
    if (pathTarget(event)) tooltip.hidden = true;
  });

  // ------------------------------------------------------------ region cards

  var cards = Array.prototype.slice.call(document.querySelectorAll('details.region-card'));
  // Folded to their names, the cards are an overview; a click on the map opens one.
  cards.forEach(function (card) { card.open = false; });
  window.addEventListener('beforeprint', function () {
    cards.forEach(function (card) { card.open = true; });
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });

  function openCard(regionId) {
    var card = document.getElementById('region-' + regionId);
    if (!card) return;
    cards.forEach(function (c) { c.classList.remove('chosen'); });
    card.open = true;
    card.classList.add('chosen');
    card.scrollIntoView({ block: 'start' });
    var summary = card.querySelector('summary');
    if (summary) summary.focus({ preventScroll: true });
  }

  document.addEventListener('click', function (event) {
    var target = pathTarget(event);
    if (!target) return;
    // The cards follow the report's partition: open the card of the municipality's region there.
    var region = regionOf(reportPartition, target.index);
    if (region) openCard(region[0]);
  });

  // ------------------------------------------------------------ SVG download

  function svgDocument(svg) {
    var copy = svg.cloneNode(true);
    copy.querySelectorAll('path[data-title]').forEach(function (path) {
      var title = document.createElementNS(SVG_NS, 'title');
      title.textContent = path.getAttribute('data-title');
      path.removeAttribute('data-title');
      path.insertBefore(title, path.firstChild);
    });
    copy.setAttribute('xmlns', SVG_NS);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy) + '\n';
  }

  function addSvgDownload(figure, fileName) {
    var caption = figure.querySelector('figcaption');
    var svg = figure.querySelector('svg');
    if (!caption || !svg) return;
    var tools = element('span', { class: 'map-tools' });
    tools.appendChild(downloadButton(words.download_svg, function () {
      download(fileName(), 'image/svg+xml', svgDocument(figure.querySelector('svg')));
    }));
    caption.appendChild(tools);
  }

  figures.forEach(function (figure) {
    addSvgDownload(figure, function () { return figure.getAttribute('data-step') + '.svg'; });
  });

  // ------------------------------------------------------------ map viewer

  var viewerChoices = [];  // { label, group, show() }
  var recolour = null;     // the figure that shows partitions and indicators without a map of their own
  var legend = null;

  // The report partition's own map, if the run drew one: its paths are recoloured.
  function baseFigure() {
    var best = null;
    figures.forEach(function (f) {
      if (f.getAttribute('data-partition') === data.report_partition && f.getAttribute('data-plugin') === 'report.partition_map' && !best) best = f;
    });
    if (!best) figures.forEach(function (f) { if (!best && f.querySelector('path[data-code]')) best = f; });
    return best;
  }

  function makeRecolourFigure(base) {
    var figure = element('figure', { class: 'map recolour', 'data-step': 'view', 'data-partition': data.report_partition });
    var caption = element('figcaption', {});
    var captionText = element('span', { class: 'caption-text' });
    caption.appendChild(captionText);
    figure.appendChild(caption);
    var svg = base.querySelector('svg').cloneNode(true);
    // The copy has its own legend below it; the base map's legend and title would mislead.
    svg.querySelectorAll('g#legend, svg > title, svg > text').forEach(function (n) { n.remove(); });
    svg.querySelectorAll('[id]').forEach(function (n) { n.removeAttribute('id'); });
    // The legend above the map, where it is seen without scrolling.
    legend = element('ul', { class: 'viewer-legend' });
    figure.appendChild(legend);
    figure.appendChild(svg);
    figure.hidden = true;
    base.parentNode.insertBefore(figure, base.nextSibling);
    addSvgDownload(figure, function () { return 'map-' + (figure.viewName || 'view') + '.svg'; });
    return figure;
  }

  function legendEntry(colour, label) {
    var li = element('li', {});
    var swatch = element('span', { class: 'swatch' });
    swatch.style.background = colour;
    li.appendChild(swatch);
    li.appendChild(document.createTextNode(label));
    legend.appendChild(li);
  }

  function colourPaths(colourOf) {
    recolour.querySelectorAll('path[data-code]').forEach(function (path) {
      var i = indexOfCode.get(path.getAttribute('data-code'));
      path.setAttribute('fill', i === undefined ? '#f0f0f0' : colourOf(i));
    });
  }

  function showPartition(partition) {
    recolour.setAttribute('data-partition', partition.name);
    recolour.viewName = partition.name;
    recolour.indicatorValues = null;
    recolour.querySelector('.caption-text').textContent = words.partition + ': ' + partition.name;
    legend.textContent = '';
    colourPaths(function (i) { var r = regionOf(partition, i); return r ? r[2] : '#f0f0f0'; });
    partition.regions.forEach(function (r) { legendEntry(r[2], r[1]); });
    if (partition.region_of.some(function (r) { return r < 0; })) legendEntry('#f0f0f0', words.unassigned);
  }

  var SEQUENTIAL = ['#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  var CATEGORICAL = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd'];

  // Quantile classes of the region values: the distinct values split into up to five
  // runs of nearly equal length, so no class is empty.
  function quantileClasses(values) {
    var distinct = Array.from(new Set(values.filter(function (v) { return v !== null && isFinite(v); }))).sort(function (a, b) { return a - b; });
    var k = Math.min(5, distinct.length);
    var classes = [];
    for (var c = 0; c < k; c++) {
      var from = Math.floor(c * distinct.length / k), to = Math.floor((c + 1) * distinct.length / k) - 1;
      classes.push({ low: distinct[from], high: distinct[to], colour: SEQUENTIAL[k === 1 ? 3 : Math.round(c * 5 / (k - 1))] });
    }
    return classes;
  }

  function showIndicator(table, c) {
    var column = table.columns[c];
    var partition = partitions.get(table.partition) || reportPartition;
    var valueOfRegion = new Map();
    table.rows.forEach(function (row) { valueOfRegion.set(row[0], row[2 + c]); });
    var label = table.name + ': ' + column.label + (column.unit ? ' (' + column.unit + ')' : '');
    recolour.setAttribute('data-partition', partition.name);
    recolour.viewName = table.name + '-' + column.id;
    recolour.indicatorLabel = label;
    recolour.querySelector('.caption-text').textContent = words.indicator + ': ' + label;
    legend.textContent = '';
    var values = municipalities.map(function (m, i) {
      var r = regionOf(partition, i);
      var v = r ? valueOfRegion.get(r[0]) : null;
      return v === undefined ? null : v;
    });
    var colourOf;
    if (column.categories) {
      colourOf = function (v) { return CATEGORICAL[v % CATEGORICAL.length]; };
      recolour.indicatorValues = values.map(function (v) { return v === null ? null : { text: column.categories[v] || '–' }; });
      var used = Array.from(new Set(values.filter(function (v) { return v !== null; }))).sort(function (a, b) { return a - b; });
      used.forEach(function (v) { legendEntry(colourOf(v), column.categories[v] || '–'); });
    } else {
      var classes = quantileClasses(Array.from(valueOfRegion.values()));
      colourOf = function (v) {
        for (var k = 0; k < classes.length; k++) if (v <= classes[k].high) return classes[k].colour;
        return classes.length ? classes[classes.length - 1].colour : '#f0f0f0';
      };
      recolour.indicatorValues = values.map(function (v) { return v === null ? null : { text: formatNumber(v) }; });
      classes.forEach(function (k) {
        legendEntry(k.colour, k.low === k.high ? formatNumber(k.low) : formatNumber(k.low) + ' – ' + formatNumber(k.high));
      });
      var note = element('li', { class: 'muted' }, words.quantiles);
      legend.appendChild(note);
    }
    colourPaths(function (i) { var v = values[i]; return v === null ? '#f0f0f0' : colourOf(v); });
    if (values.some(function (v) { return v === null; })) legendEntry('#f0f0f0', words.no_data);
  }

  function showOnly(figure) {
    figures.concat(recolour ? [recolour] : []).forEach(function (f) { f.hidden = f !== figure; });
  }

  if (mapsSection && figures.length) {
    figures.forEach(function (f) {
      var caption = f.querySelector('figcaption');
      var text = caption && caption.firstChild ? caption.firstChild.textContent : f.getAttribute('data-step');
      viewerChoices.push({ group: words.run_maps, label: text, show: function () { showOnly(f); } });
    });
    var base = baseFigure();
    if (base) {
      recolour = makeRecolourFigure(base);
      var drawn = new Set(figures.filter(function (f) { return f.getAttribute('data-plugin') === 'report.partition_map'; })
        .map(function (f) { return f.getAttribute('data-partition'); }));
      data.partitions.forEach(function (p) {
        if (drawn.has(p.name)) return;
        viewerChoices.push({ group: words.partitions, label: words.partition + ': ' + p.name, value: 'partition:' + p.name,
          show: function () { showPartition(p); showOnly(recolour); } });
      });
      data.tables.forEach(function (table, t) {
        // Only tables with one row per region of a partition on the map can colour it.
        if (!partitions.has(table.partition) || !table.rows.length) return;
        var ids = new Set(partitions.get(table.partition).regions.map(function (r) { return r[0]; }));
        if (!table.rows.every(function (row) { return ids.has(row[0]); })) return;
        table.columns.forEach(function (column, c) {
          var numeric = table.rows.some(function (row) { return row[2 + c] !== null; });
          if (!numeric) return;
          viewerChoices.push({ group: words.indicators, label: table.name + ': ' + column.label, value: 'indicator:' + t + ':' + column.id,
            show: function () { showIndicator(table, c); showOnly(recolour); } });
        });
      });
    }
    var bar = element('div', { class: 'viewer-bar' });
    var label = element('label', { for: 'map-choice' }, words.map + ' ');
    var select = element('select', { id: 'map-choice' });
    var groups = new Map();
    viewerChoices.forEach(function (choice, n) {
      if (!groups.has(choice.group)) {
        var g = element('optgroup', { label: choice.group });
        groups.set(choice.group, g);
        select.appendChild(g);
      }
      var option = element('option', { value: String(n) }, choice.label);
      if (choice.value) option.setAttribute('data-value', choice.value);
      groups.get(choice.group).appendChild(option);
    });
    select.addEventListener('change', function () { viewerChoices[Number(select.value)].show(); tooltip.hidden = true; });
    label.appendChild(select);
    bar.appendChild(label);
    bar.appendChild(downloadButton(words.download_geojson, function () {
      download('municipalities.geojson', 'application/geo+json', geojson());
    }));
    var heading = mapsSection.querySelector('h2');
    heading.parentNode.insertBefore(bar, heading.nextSibling);
    viewerChoices[0].show();
  }

  // ------------------------------------------------------------ GeoJSON

  // One feature per municipality in dataset order: its code, name and, per partition,
  // its region (and membership confidence where the partition has it); geometry in the
  // dataset's own coordinates, rings closed as GeoJSON wants them.
  function geojson() {
    var features = municipalities.map(function (m, i) {
      var properties = { municipality_code: m[0], municipality_name: m[1] };
      data.partitions.forEach(function (p) {
        var r = regionOf(p, i);
        properties[p.name + '_region_id'] = r ? r[0] : null;
        properties[p.name + '_region_name'] = r ? r[1] : null;
        if (p.confidence) properties[p.name + '_confidence'] = p.confidence[i];
      });
      var polygons = (data.geometry[i] || []).map(function (polygon) {
        return polygon.map(function (flat) {
          var ring = [];
          for (var k = 0; k + 1 < flat.length; k += 2) ring.push([flat[k], flat[k + 1]]);
          if (ring.length) ring.push(ring[0].slice());
          return ring;
        });
      });
      return { type: 'Feature', properties: properties,
        geometry: polygons.length ? { type: 'MultiPolygon', coordinates: polygons } : null };
    });
    var collection = { type: 'FeatureCollection' };
    if (data.crs === 'EPSG:28992') collection.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } };
    collection.features = features;
    return JSON.stringify(collection) + '\n';
  }

  // ------------------------------------------------------------ sorting

  function cellKey(cell) {
    if (!cell) return { missing: true };
    if (cell.hasAttribute('data-value')) {
      var raw = cell.getAttribute('data-value');
      return raw === '' ? { missing: true } : { number: Number(raw) };
    }
    var text = cell.textContent.trim();
    if (text === '' || text === '–') return { missing: true };
    var match = /^[^\d\-−+.]*([\-−+]?\d[\d,]*(\.\d+)?([eE][\-+]?\d+)?)/.exec(text);
    if (match && match[1].replace(/[\d.,eE+\-−]/g, '') === '') {
      var n = Number(match[1].replace('−', '-').replace(/,/g, ''));
      if (isFinite(n)) return { number: n, text: text };
    }
    return { text: text };
  }

  function compareKeys(a, b) {
    if (a.missing || b.missing) return a.missing && b.missing ? 0 : a.missing ? 1 : -1;
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    if (a.number !== undefined) return -1;
    if (b.number !== undefined) return 1;
    return a.text.localeCompare(b.text, document.documentElement.lang, { numeric: true });
  }

  // Sorts the rows under a table's header row by one column; missing values stay last,
  // equal keys keep their order (the original position breaks ties).
  function makeSortable(table) {
    var rows = Array.prototype.slice.call(table.rows);
    if (rows.length < 3 || table.classList.contains('sortable-done')) return;
    var head = rows[0];
    var cells = Array.prototype.slice.call(head.cells);
    if (!cells.length || cells.some(function (c) { return c.tagName !== 'TH'; })) return;
    table.classList.add('sortable-done');
    var body = rows.slice(1);
    body.forEach(function (row, n) { row.originalIndex = n; });
    cells.forEach(function (th, column) {
      if (!th.textContent.trim()) return;
      var button = element('button', { type: 'button', class: 'sort', title: words.sort });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute('aria-sort', 'none');
      button.addEventListener('click', function () {
        var descending = th.getAttribute('aria-sort') === 'ascending';
        cells.forEach(function (other) { if (other.hasAttribute('aria-sort')) other.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        var keyed = body.map(function (row) { return { row: row, key: cellKey(row.cells[column]) }; });
        keyed.sort(function (a, b) {
          var order = compareKeys(a.key, b.key);
          if (a.key.missing || b.key.missing) return order || a.row.originalIndex - b.row.originalIndex;
          return (descending ? -order : order) || a.row.originalIndex - b.row.originalIndex;
        });
        var parent = body[0].parentNode;
        keyed.forEach(function (k) { parent.appendChild(k.row); });
      });
    });
  }

  document.querySelectorAll('main table').forEach(makeSortable);

  // ------------------------------------------------------------ tables of the run

  function csvField(text) {
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function rawText(column, v) {
    if (v === null || v === undefined) return '';
    if (column.categories) return column.categories[v] !== undefined ? column.categories[v] : '';
    return String(v);
  }

  // The table as CSV: region id and name, then one column per indicator column by id,
  // with the unrounded values (a categorical column's label); summary rows last.
  function tableCsv(table) {
    var lines = [['region_id', 'region_name'].concat(table.columns.map(function (c) { return c.id; })).map(csvField).join(',')];
    table.rows.concat(table.summary).forEach(function (row) {
      var fields = [row[0], row[1]].concat(table.columns.map(function (c, k) { return rawText(c, row[2 + k]); }));
      lines.push(fields.map(csvField).join(','));
    });
    return lines.join('\n') + '\n';
  }

  function buildTable(details, table) {
    var wrap = element('div', { class: 'table-scroll' });
    var t = element('table', { class: 'data' });
    var head = element('tr', {});
    [words.region_id, words.region_name].forEach(function (w) { head.appendChild(element('th', {}, w)); });
    table.columns.forEach(function (c) {
      head.appendChild(element('th', { title: c.id }, c.label + (c.unit ? ' (' + c.unit + ')' : '')));
    });
    t.appendChild(head);
    table.rows.concat(table.summary).forEach(function (row) {
      var tr = element('tr', {});
      tr.appendChild(element('td', {}, row[0]));
      tr.appendChild(element('td', {}, row[1]));
      table.columns.forEach(function (c, k) {
        var v = row[2 + k];
        var label = c.category_labels && v !== null && v !== undefined ? c.category_labels[v] : undefined;
        tr.appendChild(c.categories ? element('td', {}, label !== undefined ? label : (rawText(c, v) || '–'))
          : element('td', { class: 'num', 'data-value': v === null ? '' : String(v) }, formatNumber(v)));
      });
      t.appendChild(tr);
    });
    wrap.appendChild(t);
    details.appendChild(wrap);
    makeSortable(t);
  }

  document.querySelectorAll('details.data-table').forEach(function (details) {
    var table = data.tables[Number(details.getAttribute('data-index'))];
    if (!table) return;
    var name = table.name + (table.partition ? '.' + table.partition : '') + '.csv';
    details.querySelector('summary').appendChild(downloadButton(words.download_csv, function () {
      download(name, 'text/csv', tableCsv(table));
    }));
    details.addEventListener('toggle', function () {
      if (details.open && !details.querySelector('table')) buildTable(details, table);
    });
  });

  // ------------------------------------------------------------ the page's own tables

  // Tables the page writes itself (comparisons, summaries, methods) as CSV of what they
  // show: the header row, then each row's cells, a number's unrounded value where the
  // cell keeps it (data-value).
  function pageTableCsv(table) {
    return Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (cell) {
        var raw = cell.getAttribute('data-value');
        return csvField(raw !== null && raw !== '' ? raw : cell.textContent.trim());
      }).join(',');
    }).join('\n') + '\n';
  }

  document.querySelectorAll('main section[id]').forEach(function (section) {
    var n = 0;
    section.querySelectorAll('table').forEach(function (table) {
      if (table.closest('details.data-table') || table.closest('svg') || table.rows.length < 2) return;
      var name = section.id + '-' + (++n) + '.csv';
      var button = downloadButton(words.download_csv, function () { download(name, 'text/csv', pageTableCsv(table)); });
      button.classList.add('page-table');
      button.setAttribute('data-file', name);
      table.parentNode.insertBefore(button, table);
    });
  });

  // ------------------------------------------------------------ pipeline

  var pipeline = document.getElementById('pipeline-json');
  if (pipeline) {
    var summary = pipeline.parentNode.querySelector('summary');
    summary.appendChild(downloadButton(words.download_pipeline, function () {
      download(pipeline.getAttribute('data-file'), 'application/json', pipeline.textContent);
    }));
  }
})();
