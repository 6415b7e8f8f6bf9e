// Tableau 10: ten categorical colours chosen to stay distinguishable for
// common forms of colour blindness. Index = digit.
export const digitColors: readonly string[] = [
  '#4e79a7', // 0 blue
  '#f28e2b', // 1 orange
  '#e15759', // 2 red
  '#76b7b2', // 3 teal
  '#59a14f', // 4 green
  '#edc948', // 5 yellow
  '#b07aa1', // 6 purple
  '#ff9da7', // 7 pink
  '#9c755f', // 8 brown
  '#bab0ac', // 9 grey
];

export const inkColor = '#222';
export const gridColor = '#ddd';
export const lineColor = digitColors[0];
